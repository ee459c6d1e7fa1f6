#pragma once

#include "queue_filter.h"

#include <QIcon>
#include <QSortFilterProxyModel>

#include <array>

namespace hoist {

// The QueueModel as the window shows it: sorted by raw values (bytes, seconds,
// states) rather than by their formatted text, with the state column translated
// and given its icon, and the progress column's tooltip spelled out; only the rows
// of the chosen QueueFilter whose name contains the search text.
class QueueSortProxy final : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit QueueSortProxy(QObject* parent = nullptr);

    void setStateFilter(QueueFilter filter);
    // Case-insensitive; empty shows every name.
    void setNameFilter(const QString& text);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

  private:
    QueueFilter m_stateFilter = QueueFilter::All;
    QString m_nameFilter;
    std::array<QIcon, 10> m_stateIcons;
};

} // namespace hoist
