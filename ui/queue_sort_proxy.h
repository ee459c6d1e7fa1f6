#pragma once

#include <QIcon>
#include <QSortFilterProxyModel>

#include <array>

namespace hoist {

// The QueueModel as the window shows it: sorted by raw values (bytes, seconds,
// states) rather than by their formatted text, with the state column translated
// and given its icon, and the progress column's tooltip spelled out.
class QueueSortProxy final : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit QueueSortProxy(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

  private:
    std::array<QIcon, 9> m_stateIcons;
};

} // namespace hoist
