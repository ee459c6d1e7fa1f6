#include "job_state.h"

#include <array>
#include <utility>

namespace hoist {

namespace {
constexpr std::array<std::pair<JobState, const char*>, 10> kNames{{
    {JobState::Queued, "queued"},
    {JobState::Hashing, "hashing"},
    {JobState::Checking, "checking"},
    {JobState::Uploading, "uploading"},
    {JobState::Finalizing, "finalizing"},
    {JobState::Waiting, "waiting"},
    {JobState::Done, "done"},
    {JobState::DoneDuplicate, "done-already-on-server"},
    {JobState::Paused, "paused"},
    {JobState::Failed, "failed"},
}};
} // namespace

QString jobStateName(JobState state) {
    for (const auto& [value, name] : kNames) {
        if (value == state)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<JobState> jobStateFromName(const QString& text) {
    for (const auto& [value, name] : kNames) {
        if (text == QLatin1String(name))
            return value;
    }
    return std::nullopt;
}

bool isActive(JobState state) {
    switch (state) {
    case JobState::Hashing:
    case JobState::Checking:
    case JobState::Uploading:
    case JobState::Finalizing:
    // Waiting keeps its slot: its run is alive, between two tries.
    case JobState::Waiting:
        return true;
    default:
        return false;
    }
}

bool isDone(JobState state) {
    return state == JobState::Done || state == JobState::DoneDuplicate;
}

bool canPause(JobState state) {
    return state == JobState::Queued || isActive(state);
}

bool canResume(JobState state) {
    return state == JobState::Paused;
}

bool canRetry(JobState state) {
    return state == JobState::Failed;
}

} // namespace hoist
