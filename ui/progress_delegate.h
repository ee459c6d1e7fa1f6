#pragma once

#include <QStyledItemDelegate>

namespace hoist {

// Paints a job's progress as a native progress bar from the model's raw values
// (ConfirmedBytesRole of SizeRole; HashedBytesRole while hashing). It asks
// nothing of the engine and keeps no state, so a repaint costs only the paint.
class ProgressDelegate final : public QStyledItemDelegate {
    Q_OBJECT
  public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

} // namespace hoist
