#pragma once

#include <QWidget>

class QPainter;

#include <deque>

namespace hoist {

// A small painted chart of the total upload speed over the last minutes: one
// sample per call to addSample(), the oldest dropped past capacity. Scales to
// the highest sample in view; colours come from the palette (light or dark).
class ThroughputGraph final : public QWidget {
    Q_OBJECT
  public:
    explicit ThroughputGraph(int capacity = 300, QWidget* parent = nullptr);

    void addSample(double bytesPerSecond);
    const std::deque<double>& samples() const { return m_samples; }

    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void paintCurve(QPainter& painter, const QRectF& area, double peak) const;

    int m_capacity;
    std::deque<double> m_samples;
};

} // namespace hoist
