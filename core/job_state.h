#pragma once

#include <QString>

#include <optional>

namespace hoist {

// The states an upload job walks through (docs/architecture.md, "The client engine"). The
// strings of toString() are persisted in the queue file: keep them stable.
enum class JobState {
    Queued,
    Hashing,
    Checking,
    Uploading,
    Finalizing,
    Waiting, // a transient failure: backing off until the server answers again
    Done,
    DoneDuplicate, // the dedup preflight found the file on the server
    Paused,
    Failed,
};

QString jobStateName(JobState state);
std::optional<JobState> jobStateFromName(const QString& text);

// A job in one of these states holds a scheduler slot.
bool isActive(JobState state);
// Done or DoneDuplicate: nothing more to do (the file id is kept when the protocol
// names one).
bool isDone(JobState state);
// What the user may do to a job in a state: the one place these rules live (the
// job obeys them, the UI enables its actions by them).
bool canPause(JobState state);
bool canResume(JobState state);
bool canRetry(JobState state);

} // namespace hoist
