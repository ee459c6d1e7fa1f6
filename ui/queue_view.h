#pragma once

#include <QIcon>
#include <QTableView>

namespace hoist {

// The queue table: whole-row multi-selection, sortable columns (a third click on
// a header returns to queue order), the progress delegate, and a "Drop files
// here" hint painted over the empty viewport.
class QueueView final : public QTableView {
    Q_OBJECT
  public:
    explicit QueueView(QWidget* parent = nullptr);

    // Rows of the source model behind the selection, in ascending order.
    QList<int> selectedSourceRows() const;
    // Rows of the source model behind every row the view shows (the filter and the
    // search applied), in ascending order.
    QList<int> shownSourceRows() const;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    QList<int> sourceRows(const QModelIndexList& shown) const;
    void paintEmptyHint();

    QIcon m_dropIcon;
};

} // namespace hoist
