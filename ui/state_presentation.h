#pragma once

#include "job_state.h"

#include <QIcon>
#include <QString>

namespace hoist {

// How a job state looks to a person: a translated word and an SVG icon. The
// engine's own state names are queue-file strings, not UI text.
QString stateLabel(JobState state);
QIcon stateIcon(JobState state);

} // namespace hoist
