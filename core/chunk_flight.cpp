#include "chunk_flight.h"

#include "chunk_reader.h"

#include <QCoroFuture>
#include <QTimer>

#include <utility>

namespace hoist {

std::shared_ptr<ChunkFlight> ChunkFlight::create(CancelToken& stop) {
    std::shared_ptr<ChunkFlight> flight(new ChunkFlight);
    QObject::connect(&stop, &CancelToken::cancelled, &flight->m_token, &CancelToken::cancel);
    return flight;
}

void ChunkFlight::launch(ProtocolClient* client, QString path, QString sessionId,
                         ChunkWindow::Chunk chunk) {
    // Detached on purpose: it owns a share of the flight and settles into it.
    [[maybe_unused]] QCoro::Task<> detached =
        send(shared_from_this(), client, std::move(path), std::move(sessionId), chunk);
}

QCoro::Task<> ChunkFlight::send(std::shared_ptr<ChunkFlight> self, ProtocolClient* client,
                                QString path, QString sessionId, ChunkWindow::Chunk chunk) {
    Outcome outcome{chunk.offset, {}, {}};
    QByteArray spare;
    if (!self->m_spareBuffers.empty()) {
        spare = std::move(self->m_spareBuffers.back());
        self->m_spareBuffers.pop_back();
    }
    auto bytes = co_await readChunk(std::move(path), chunk.offset, chunk.length, std::move(spare));
    if (self->m_token.isCancelled()) {
        // The job may be gone, and with it the client's other users: send nothing.
        ProtocolError cancelled;
        cancelled.kind = ProtocolError::Kind::Cancelled;
        outcome.answer = tl::make_unexpected(cancelled);
    } else if (!bytes) {
        outcome.unreadable = bytes.error();
    } else {
        // A second reference, not a copy: once the request let go of the bytes, it is
        // the only one left and the buffer can take the next chunk.
        QByteArray buffer = *bytes;
        outcome.answer = co_await client->sendChunk(std::move(sessionId), chunk.offset,
                                                    std::move(*bytes), &self->m_token);
        if (buffer.isDetached())
            self->m_spareBuffers.push_back(std::move(buffer));
    }
    self->m_done.push_back(std::move(outcome));
    if (const auto waiter = std::exchange(self->m_waiter, {}))
        waiter.resume();
}

QCoro::Task<std::optional<ChunkFlight::Outcome>>
ChunkFlight::next(std::optional<std::chrono::milliseconds> timeout) {
    const auto self = shared_from_this(); // a job destroyed meanwhile may drop its share
    QTimer timer;
    bool expired = false;
    if (timeout) {
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, [this, &expired] {
            expired = true;
            if (const auto waiter = std::exchange(m_waiter, {}))
                waiter.resume();
        });
        timer.start(*timeout);
    }
    while (m_done.empty() && !expired)
        co_await Settled{this};
    if (m_done.empty())
        co_return std::nullopt;
    Outcome outcome = std::move(m_done.front());
    m_done.pop_front();
    co_return outcome;
}

} // namespace hoist
