#include "job_state.h"
#include "progress_delegate.h"
#include "queue_model.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QStyleFactory>
#include <QTest>

using hoist::JobState;
using hoist::QueueModel;

// The delegate paints a native progress bar from raw model values: checked on
// the pixels, with Fusion (the style offscreen tests get everywhere).
class TestProgressDelegate final : public QObject {
    Q_OBJECT

  private:
    QImage paint(JobState state, qint64 confirmed, qint64 size, qint64 hashed = 0) {
        QStandardItemModel model(1, 1);
        const QModelIndex index = model.index(0, 0);
        model.setData(index, static_cast<int>(state), QueueModel::StateRole);
        model.setData(index, confirmed, QueueModel::ConfirmedBytesRole);
        model.setData(index, size, QueueModel::SizeRole);
        model.setData(index, hashed, QueueModel::HashedBytesRole);

        QImage image(kWidth, kHeight, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        QStyleOptionViewItem option;
        option.rect = image.rect();
        option.palette = QApplication::palette();
        option.state = QStyle::State_Enabled;
        option.fontMetrics = QFontMetrics(QApplication::font());
        hoist::ProgressDelegate delegate;
        delegate.paint(&painter, option, index);
        return image;
    }

    // Pixels left and right of the centred percentage text, mid-height.
    static bool isFilled(const QImage& image, int x) {
        const QColor pixel = image.pixelColor(x, kHeight / 2);
        const QColor highlight = QApplication::palette().color(QPalette::Highlight);
        const int distance = std::abs(pixel.red() - highlight.red()) +
                             std::abs(pixel.green() - highlight.green()) +
                             std::abs(pixel.blue() - highlight.blue());
        return distance < 90; // Fusion shades the chunk with a gradient around it
    }

    static constexpr int kWidth = 300;
    static constexpr int kHeight = 24;
    static constexpr int kLeft = 20;
    static constexpr int kRight = kWidth - 20;

  private slots:
    void initTestCase() { QApplication::setStyle(QStyleFactory::create("Fusion")); }

    void halfwayFillsTheLeftHalf() {
        const QImage image = paint(JobState::Uploading, 50, 100);
        QVERIFY(isFilled(image, kLeft));
        QVERIFY(isFilled(image, kWidth / 2 - 40));
        QVERIFY(!isFilled(image, kWidth / 2 + 40));
        QVERIFY(!isFilled(image, kRight));
    }

    void nothingConfirmedFillsNothing() {
        const QImage image = paint(JobState::Queued, 0, 1000);
        QVERIFY(!isFilled(image, kLeft));
        QVERIFY(!isFilled(image, kRight));
    }

    void doneFillsTheWholeBar() {
        const QImage image = paint(JobState::Done, 1000, 1000);
        QVERIFY(isFilled(image, kLeft));
        QVERIFY(isFilled(image, kRight));
    }

    void anEmptyFileThatIsDoneIsComplete() {
        const QImage image = paint(JobState::Done, 0, 0);
        QVERIFY(isFilled(image, kRight));
    }

    void hashingShowsHashedBytesNotConfirmedOnes() {
        const QImage image = paint(JobState::Hashing, 0, 100, 90);
        QVERIFY(isFilled(image, kLeft));
        QVERIFY(isFilled(image, kWidth * 8 / 10));
        QVERIFY(!isFilled(image, kRight - 5));
    }

    void moreProgressFillsMore() {
        int previous = -1;
        for (const qint64 confirmed : {10, 40, 70, 95}) {
            const QImage image = paint(JobState::Uploading, confirmed, 100);
            int filled = 0;
            for (int x = 0; x < kWidth; ++x)
                filled += isFilled(image, x) ? 1 : 0;
            QVERIFY2(filled > previous, qPrintable(QString::number(confirmed)));
            previous = filled;
        }
    }
};

QTEST_MAIN(TestProgressDelegate)
#include "tst_progress_delegate.moc"
