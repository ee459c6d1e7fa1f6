#pragma once

#include "queue_filter.h"

#include <QWidget>

class QLineEdit;
class QListWidget;

namespace hoist {

// The queue's sidebar: a name search and the filters with a count each (All,
// Active, Waiting, Paused, Failed, Done), as download managers show them. It only
// shows and asks: the proxy filters, the core decides which state is in which group.
class FilterSidebar final : public QWidget {
    Q_OBJECT
  public:
    explicit FilterSidebar(QWidget* parent = nullptr);

    void setCounts(const QueueFilterCounts& counts);
    QueueFilter filter() const;

  signals:
    void filterChosen(hoist::QueueFilter filter);
    void searchChanged(const QString& text);

  private:
    QLineEdit* m_search;
    QListWidget* m_filters;
};

} // namespace hoist
