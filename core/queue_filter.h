#pragma once

#include "job_state.h"

#include <QString>

#include <array>

namespace hoist {

// The groups a long queue is filtered by (the window's sidebar, with a count
// each). Which states belong to which group is decided here, not in the widgets.
enum class QueueFilter { All, Active, Waiting, Paused, Failed, Done };

inline constexpr std::array<QueueFilter, 6> kQueueFilters{QueueFilter::All,     QueueFilter::Active,
                                                          QueueFilter::Waiting, QueueFilter::Paused,
                                                          QueueFilter::Failed,  QueueFilter::Done};

bool matches(QueueFilter filter, JobState state);
// A name for a person ("Waiting for server").
QString queueFilterLabel(QueueFilter filter);

// Rows per filter: one pass, adding each row's state.
class QueueFilterCounts final {
  public:
    void add(JobState state);
    int count(QueueFilter filter) const { return m_counts[static_cast<size_t>(filter)]; }

  private:
    std::array<int, kQueueFilters.size()> m_counts{};
};

} // namespace hoist
