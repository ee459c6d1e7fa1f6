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

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void paintEmptyHint();

    QIcon m_dropIcon;
};

} // namespace hoist
