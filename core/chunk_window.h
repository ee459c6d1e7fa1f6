#pragma once

#include <QList>
#include <QtGlobal>

#include <map>
#include <optional>
#include <set>

namespace hoist {

// Which chunks of one upload to send next, how many may be in flight, and what the
// server has confirmed (docs/protocol.md, "Parallel chunks"). Bookkeeping only: no
// I/O, one thread. A sequential session is the case of a window of one.
//
// The server's answers are merged, never replaced: answers to chunks sent at once
// arrive in any order, and an older one must not undo what a newer one taught. The
// prefix and the stored chunks only grow, so confirmedBytes() never goes backwards.
//
// The window adapts as TCP's congestion window does (additive increase,
// multiplicative decrease): it starts at the limit, halves on a transient failure,
// and grows by one after a window's worth of acknowledged chunks (about one round
// trip), up to the limit. A lossy or slow link thus runs fewer connections that each
// finish, a clean one soon runs the limit again. Failures of chunks sent before the
// last halving are the same loss event (a server restart fails every request in
// flight) and do not halve it again.
class ChunkWindow final {
  public:
    struct Chunk {
        qint64 offset = 0;
        qint64 length = 0;
    };
    enum class Mismatch {
        Stored, // the 409 says the chunk is stored (its answer was lost)
        Resend, // the server's state moved on: the chunk may be sent again
        Refused // the 409 taught nothing: client and server disagree on the contract
    };

    // `granted`: the server's window (0 or 1: sequential), which bounds how far beyond
    // the prefix a chunk may lie; `wanted`: the client's limit of chunks in flight.
    ChunkWindow(qint64 size, qint64 chunkSize, int granted, int wanted);

    // Merges what the server reports; answers whether it taught anything new.
    bool adopt(qint64 uploadedBytes, const QList<qint64>& storedChunks);
    // The next chunk to send, now in flight: the lowest one neither below the prefix,
    // stored nor in flight, within the server's window; none while the window is full.
    std::optional<Chunk> take();
    // A 200 for the chunk at `offset`.
    void acknowledged(qint64 offset, qint64 uploadedBytes, const QList<qint64>& storedChunks);
    // A 409 offset_mismatch for the chunk at `offset`, with the server's state.
    Mismatch mismatched(qint64 offset, qint64 uploadedBytes, const QList<qint64>& storedChunks);
    // A transient failure (or a cancelled request): the chunk is to be sent again.
    void failed(qint64 offset);

    // The server-confirmed bytes: the prefix plus the chunks stored beyond it.
    qint64 confirmedBytes() const;
    bool finished() const { return confirmedBytes() == m_size; }
    qint64 prefix() const { return m_prefix; }
    int inFlight() const { return static_cast<int>(m_inFlight.size()); }
    int window() const { return m_window; }

  private:
    bool isStored(qint64 offset) const;
    void release(qint64 offset);

    qint64 m_size;
    qint64 m_chunkSize;
    int m_reach; // the server's window, in chunks from the prefix
    int m_limit;
    int m_window;
    qint64 m_prefix = 0;
    std::set<qint64> m_stored;            // chunk indexes beyond the prefix
    std::map<qint64, quint64> m_inFlight; // offset → send sequence number
    quint64 m_sent = 0;                   // sequence number of the last chunk taken
    quint64 m_lastCut = 0;                // m_sent when the window last halved
    int m_ackedSinceGrowth = 0;
};

} // namespace hoist
