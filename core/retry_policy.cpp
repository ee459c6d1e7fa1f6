#include "retry_policy.h"

#include <QRandomGenerator>

#include <algorithm>

namespace hoist {

std::chrono::milliseconds RetryPolicy::delay(int attempt, double jitter) const {
    const qint64 first = std::max<qint64>(1, firstDelay.count());
    const qint64 cap = std::max(first, static_cast<qint64>(maxDelay.count()));
    // 2^30 doublings of a millisecond are twelve days: past it the cap has long been reached.
    const qint64 nominal = std::min(cap, first << std::clamp(attempt, 0, 30));
    const double spread = std::clamp(jitter, 0.0, 1.0);
    return std::chrono::milliseconds(nominal / 2 + static_cast<qint64>(spread * (nominal / 2)));
}

std::chrono::milliseconds RetryPolicy::randomDelay(int attempt) const {
    return delay(attempt, QRandomGenerator::global()->generateDouble());
}

} // namespace hoist
