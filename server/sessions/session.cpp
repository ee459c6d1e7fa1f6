#include "session.h"

namespace hoist {

const char* toString(SessionState state) {
    switch (state) {
    case SessionState::Uploading:
        return "uploading";
    case SessionState::Finalizing:
        return "finalizing";
    case SessionState::Completed:
        return "completed";
    case SessionState::Failed:
        return "failed";
    }
    return "failed";
}

std::optional<SessionState> sessionStateFromString(const std::string& text) {
    for (auto state : {SessionState::Uploading, SessionState::Finalizing, SessionState::Completed,
                       SessionState::Failed}) {
        if (text == toString(state))
            return state;
    }
    return std::nullopt;
}

} // namespace hoist
