#include "queue_sort_proxy.h"

#include "job_state.h"
#include "queue_model.h"
#include "state_presentation.h"

#include <QLocale>

namespace hoist {

namespace {

// The role whose raw value orders a column; text columns sort by their text.
int roleForSorting(int column) {
    switch (column) {
    case QueueModel::Size:
        return QueueModel::SizeRole;
    case QueueModel::State:
        return QueueModel::StateRole;
    case QueueModel::Confirmed:
        return QueueModel::ConfirmedBytesRole;
    case QueueModel::Speed:
        return QueueModel::SpeedRole;
    case QueueModel::Eta:
        return QueueModel::EtaRole;
    default:
        return Qt::DisplayRole;
    }
}

} // namespace

QueueSortProxy::QueueSortProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    for (size_t i = 0; i < m_stateIcons.size(); ++i)
        m_stateIcons[i] = stateIcon(static_cast<JobState>(i));
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void QueueSortProxy::setStateFilter(QueueFilter filter) {
    if (filter == m_stateFilter)
        return;
    m_stateFilter = filter;
    invalidateRowsFilter();
}

void QueueSortProxy::setNameFilter(const QString& text) {
    if (text == m_nameFilter)
        return;
    m_nameFilter = text;
    invalidateRowsFilter();
}

bool QueueSortProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, QueueModel::Name, sourceParent);
    const auto state = static_cast<JobState>(index.data(QueueModel::StateRole).toInt());
    return matches(m_stateFilter, state) &&
           (m_nameFilter.isEmpty() ||
            index.data(Qt::DisplayRole).toString().contains(m_nameFilter, Qt::CaseInsensitive));
}

QVariant QueueSortProxy::data(const QModelIndex& index, int role) const {
    if (!index.isValid())
        return {};
    if (index.column() == QueueModel::State) {
        const auto state = static_cast<JobState>(
            QSortFilterProxyModel::data(index, QueueModel::StateRole).toInt());
        if (role == Qt::DisplayRole)
            return stateLabel(state);
        if (role == Qt::DecorationRole) {
            const auto slot = static_cast<size_t>(state);
            return slot < m_stateIcons.size() ? m_stateIcons[slot] : QIcon();
        }
    }
    if (index.column() == QueueModel::Confirmed && role == Qt::ToolTipRole) {
        const QLocale locale;
        return tr("%1 of %2 confirmed by the server")
            .arg(locale.formattedDataSize(index.data(QueueModel::ConfirmedBytesRole).toLongLong()),
                 locale.formattedDataSize(index.data(QueueModel::SizeRole).toLongLong()));
    }
    return QSortFilterProxyModel::data(index, role);
}

QVariant QueueSortProxy::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole &&
        section == QueueModel::Confirmed)
        return tr("Progress");
    return QSortFilterProxyModel::headerData(section, orientation, role);
}

bool QueueSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const int role = roleForSorting(left.column());
    if (role == Qt::DisplayRole)
        return QSortFilterProxyModel::lessThan(left, right);
    const QVariant a = sourceModel()->data(left, role);
    const QVariant b = sourceModel()->data(right, role);
    if (a.typeId() == QMetaType::Double || b.typeId() == QMetaType::Double)
        return a.toDouble() < b.toDouble();
    return a.toLongLong() < b.toLongLong();
}

} // namespace hoist
