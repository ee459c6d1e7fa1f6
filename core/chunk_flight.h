#pragma once

#include "cancel_token.h"
#include "chunk_window.h"
#include "protocol_client.h"

#include <chrono>
#include <coroutine>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace hoist {

// The chunk requests of one upload that are in flight at once, each a request on a
// connection of its own (libcurl's; under a bandwidth limit Qt's, which opens up to six
// per host). A chunk is read from the file only when it is sent, so no more chunks than
// are in flight are in memory. The running requests share ownership: a job that stops
// cancels the flight and forgets it, and the requests finish into it with nobody
// reading their answers.
class ChunkFlight final : public std::enable_shared_from_this<ChunkFlight> {
  public:
    struct Outcome {
        qint64 offset = 0;
        Result<ChunkAck> answer;
        QString unreadable; // the file could not be read: no request was made
    };

    // A flight whose requests are also aborted when `stop` is cancelled.
    static std::shared_ptr<ChunkFlight> create(CancelToken& stop);

    void launch(ProtocolClient* client, QString path, QString sessionId, ChunkWindow::Chunk chunk);
    // The next request to finish, in the order they finish, or nothing once `timeout`
    // passed first. Only with one launched whose outcome was not taken yet.
    QCoro::Task<std::optional<Outcome>> next(std::optional<std::chrono::milliseconds> timeout);
    // Aborts every request in flight; their outcomes are Cancelled errors.
    void cancel() { m_token.cancel(); }

  private:
    // Resumes next() when an outcome arrives (or its timeout passed). Not a queued signal: several
    // requests may settle within one turn of the event loop, and the waiter takes them one by one.
    struct Settled {
        ChunkFlight* flight;
        bool await_ready() const noexcept { return !flight->m_done.empty(); }
        void await_suspend(std::coroutine_handle<> waiter) noexcept { flight->m_waiter = waiter; }
        void await_resume() const noexcept {}
    };

    ChunkFlight() = default;
    static QCoro::Task<> send(std::shared_ptr<ChunkFlight> self, ProtocolClient* client,
                              QString path, QString sessionId, ChunkWindow::Chunk chunk);

    CancelToken m_token;
    std::deque<Outcome> m_done;
    // Buffers of chunks whose requests let go of them, for the next chunks (readChunk).
    std::vector<QByteArray> m_spareBuffers;
    std::coroutine_handle<> m_waiter;
};

} // namespace hoist
