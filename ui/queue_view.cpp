#include "queue_view.h"

#include "progress_delegate.h"
#include "queue_model.h"

#include <QHeaderView>
#include <QPainter>
#include <QSortFilterProxyModel>

#include <algorithm>

namespace hoist {

QueueView::QueueView(QWidget* parent)
    : QTableView(parent), m_dropIcon(QStringLiteral(":/icons/ui/drop-files.svg")) {
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setContextMenuPolicy(Qt::CustomContextMenu);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTextElideMode(Qt::ElideMiddle);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Uniform rows let the view skip measuring 10,000 of them.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    verticalHeader()->hide();
    QHeaderView* header = horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setSortIndicatorClearable(true);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setDefaultSectionSize(110);
    setItemDelegateForColumn(QueueModel::Confirmed, new ProgressDelegate(this));
    setSortingEnabled(true);
}

QList<int> QueueView::sourceRows(const QModelIndexList& shown) const {
    const auto* proxy = qobject_cast<const QSortFilterProxyModel*>(model());
    QList<int> rows;
    rows.reserve(shown.size());
    for (const QModelIndex& index : shown)
        rows << (proxy ? proxy->mapToSource(index).row() : index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

QList<int> QueueView::selectedSourceRows() const {
    return selectionModel() ? sourceRows(selectionModel()->selectedRows()) : QList<int>{};
}

QList<int> QueueView::shownSourceRows() const {
    QModelIndexList shown;
    const int count = model() ? model()->rowCount() : 0;
    shown.reserve(count);
    for (int row = 0; row < count; ++row)
        shown << model()->index(row, 0);
    return sourceRows(shown);
}

void QueueView::paintEvent(QPaintEvent* event) {
    QTableView::paintEvent(event);
    if (!model() || model()->rowCount() == 0)
        paintEmptyHint();
}

void QueueView::paintEmptyHint() {
    QPainter painter(viewport());
    const QRect area = viewport()->rect();
    const int iconSize = std::min(96, area.height() / 3);
    const QRect iconRect(area.center().x() - iconSize / 2, area.center().y() - iconSize, iconSize,
                         iconSize);
    m_dropIcon.paint(&painter, iconRect, Qt::AlignCenter, QIcon::Disabled);

    QFont title = font();
    title.setPointSizeF(title.pointSizeF() * 1.4);
    painter.setFont(title);
    painter.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
    const QRect titleRect(area.left(), iconRect.bottom() + 12, area.width(),
                          QFontMetrics(title).height());
    painter.drawText(titleRect, Qt::AlignCenter, tr("Drop files here"));
    painter.setFont(font());
    const QRect subtitleRect(area.left(), titleRect.bottom() + 6, area.width(),
                             fontMetrics().height() * 2);
    painter.drawText(subtitleRect, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                     tr("or use Add files and Add folder: folders are uploaded with "
                        "everything inside them"));
}

} // namespace hoist
