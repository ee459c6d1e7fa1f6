#pragma once

#include <QtGlobal>

#include <chrono>
#include <map>
#include <optional>

namespace hoist {

// When the next chunk of a window may start. Chunks started at the same moment share
// the link equally, so they finish together and then all wait a round trip for their
// answers while the link idles: at 150 ms and four 8 MiB chunks that was 18 % of the
// time, and it repeats every window because they restart together too. Started apart,
// they finish apart, and while one waits for its answer the others keep sending.
//
// A start is held back only until half the spacing of an even rotation has passed
// since the last start: the mean time a chunk takes, from its start to its answer,
// divided by the window. Answers that already come apart are never delayed, nor is a
// window of one, and until a first answer there is no mean, so nothing waits.
// Bookkeeping only: time is passed in.
class ChunkPacer final {
  public:
    using Clock = std::chrono::steady_clock;

    void started(qint64 offset, Clock::time_point now);
    // An answer for the chunk at `offset`: its time from start to answer joins the mean.
    void acknowledged(qint64 offset, Clock::time_point now);
    // A chunk that failed or was cancelled: its time says nothing of the link.
    void dropped(qint64 offset);
    // How long the next start waits with `window` chunks allowed in flight.
    Clock::duration delay(int window, Clock::time_point now) const;

  private:
    std::map<qint64, Clock::time_point> m_started;
    std::optional<Clock::time_point> m_lastStart;
    std::optional<Clock::duration> m_meanChunkTime;
};

} // namespace hoist
