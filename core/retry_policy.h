#pragma once

#include <QtGlobal>

#include <chrono>

namespace hoist {

// How long a job waits between tries after a transient failure: capped exponential
// backoff with jitter, so that the clients a restarted server lost do not all come
// back in the same second. `maxWait` bounds one outage (the command line's
// --max-wait); zero waits for as long as the user lets it (the app).
struct RetryPolicy {
    std::chrono::milliseconds firstDelay{1000};
    std::chrono::milliseconds maxDelay{60000};
    std::chrono::milliseconds maxWait{0};
    // While a server does not answer, its health is asked this often, so that a job
    // resumes within seconds of the server's return however long its backoff.
    std::chrono::milliseconds probeInterval{2000};

    // The pause before try `attempt` + 1 (attempt counts from 0): firstDelay doubled
    // per attempt up to maxDelay, then scaled by `jitter` in [0, 1] onto its upper
    // half ("equal jitter": never shorter than half the nominal delay).
    std::chrono::milliseconds delay(int attempt, double jitter) const;
    // delay() with a random jitter.
    std::chrono::milliseconds randomDelay(int attempt) const;

    bool operator==(const RetryPolicy&) const = default;
};

} // namespace hoist
