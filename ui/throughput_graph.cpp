#include "throughput_graph.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace hoist {

ThroughputGraph::ThroughputGraph(int capacity, QWidget* parent)
    : QWidget(parent), m_capacity(std::max(2, capacity)) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setToolTip(tr("Upload speed over the last %n minute(s)", nullptr, m_capacity / 60));
}

void ThroughputGraph::addSample(double bytesPerSecond) {
    m_samples.push_back(std::max(0.0, bytesPerSecond));
    while (static_cast<int>(m_samples.size()) > m_capacity)
        m_samples.pop_front();
    update();
}

QSize ThroughputGraph::sizeHint() const {
    return {fontMetrics().horizontalAdvance(QLatin1Char('0')) * 28, fontMetrics().height() + 6};
}

void ThroughputGraph::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.setPen(palette().color(QPalette::Mid));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRect(area);
    const double highest =
        m_samples.empty() ? 0.0 : *std::max_element(m_samples.begin(), m_samples.end());
    const double peak = std::max(1.0, highest);
    if (!m_samples.empty())
        paintCurve(painter, area, peak);

    painter.setPen(palette().color(QPalette::Text));
    const QString label =
        highest > 0 ? tr("peak %1/s").arg(QLocale().formattedDataSize(static_cast<qint64>(highest)))
                    : tr("idle");
    painter.drawText(area.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, label);
}

void ThroughputGraph::paintCurve(QPainter& painter, const QRectF& area, double peak) const {
    const double step = area.width() / (m_capacity - 1);
    // Newest sample at the right edge, so the chart scrolls leftwards as time passes.
    const double firstX = area.right() - step * static_cast<double>(m_samples.size() - 1);
    QPainterPath line;
    for (size_t i = 0; i < m_samples.size(); ++i) {
        const QPointF point(firstX + step * static_cast<double>(i),
                            area.bottom() - m_samples[i] / peak * (area.height() - 2));
        if (i == 0)
            line.moveTo(point);
        else
            line.lineTo(point);
    }
    QPainterPath fill = line;
    fill.lineTo(area.right(), area.bottom());
    fill.lineTo(firstX, area.bottom());
    fill.closeSubpath();

    QColor accent = palette().color(QPalette::Highlight);
    QColor shade = accent;
    shade.setAlphaF(0.3f);
    painter.setPen(Qt::NoPen);
    painter.setBrush(shade);
    painter.drawPath(fill);
    painter.setPen(QPen(accent, 1.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(line);
}

} // namespace hoist
