#pragma once

#include <QtGlobal>

#include <optional>

namespace hoist {

// Exponential moving average (alpha 0.25) of server-confirmed bytes per second:
// fed with the server's uploadedBytes, never with bytes handed to the socket.
class SpeedMeter final {
  public:
    static constexpr double kAlpha = 0.25;

    // `confirmedBytes` is the server's count at time `nowMs` (any monotonic clock).
    void sample(qint64 confirmedBytes, qint64 nowMs);
    // Forgets the history: the next sample only sets a base line.
    void reset();
    double bytesPerSecond() const { return m_speed; }
    // The speed as of `nowMs`: once nothing was confirmed for longer than the last
    // interval between confirmations, it falls as 1/t, so a stalled link does not
    // keep showing its last speed.
    double bytesPerSecondAt(qint64 nowMs) const;
    // Seconds until `remaining` bytes are confirmed at this speed; -1 when unknown.
    qint64 etaSeconds(qint64 remaining) const;
    // The same at the speed as of `nowMs`.
    qint64 etaSecondsAt(qint64 remaining, qint64 nowMs) const;

  private:
    std::optional<qint64> m_lastBytes;
    qint64 m_lastMs = 0;
    qint64 m_lastIntervalMs = 0;
    double m_speed = 0;
    bool m_primed = false;
};

} // namespace hoist
