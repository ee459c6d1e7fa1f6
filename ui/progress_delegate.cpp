#include "progress_delegate.h"

#include "job_state.h"
#include "queue_model.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>

#include <algorithm>

namespace hoist {

namespace {

constexpr int kScale = 1000; // per mille: smooth bars for files of any size

int fraction(qint64 part, qint64 whole) {
    if (whole <= 0)
        return 0;
    return static_cast<int>(std::clamp<qint64>(part, 0, whole) * kScale / whole);
}

} // namespace

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    // The cell's own background and selection first, without its text.
    QStyleOptionViewItem cell(option);
    initStyleOption(&cell, index);
    cell.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);

    const auto state = static_cast<JobState>(index.data(QueueModel::StateRole).toInt());
    const qint64 size = index.data(QueueModel::SizeRole).toLongLong();
    const bool hashing = state == JobState::Hashing;
    const qint64 part = hashing ? index.data(QueueModel::HashedBytesRole).toLongLong()
                                : index.data(QueueModel::ConfirmedBytesRole).toLongLong();
    // An empty file that is done is complete, not 0 of 0.
    const int progress = isDone(state) && size == 0 ? kScale : fraction(part, size);

    QStyleOptionProgressBar bar;
    if (widget)
        bar.initFrom(widget);
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.state = (option.state & QStyle::State_Enabled) | QStyle::State_Horizontal;
    bar.palette = option.palette;
    bar.fontMetrics = option.fontMetrics;
    bar.minimum = 0;
    bar.maximum = kScale;
    bar.progress = progress;
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    const QString percent = QLocale().toString(progress / 10.0, 'f', progress % 10 ? 1 : 0);
    bar.text = hashing ? tr("Hashing %1 %").arg(percent) : tr("%1 %").arg(percent);
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

} // namespace hoist
