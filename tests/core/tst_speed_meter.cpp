#include "speed_meter.h"

#include <QTest>

using hoist::SpeedMeter;

class TestSpeedMeter final : public QObject {
    Q_OBJECT

  private slots:
    void firstIntervalSetsTheSpeed() {
        SpeedMeter meter;
        meter.sample(0, 0);
        QCOMPARE(meter.bytesPerSecond(), 0.0);
        meter.sample(1000, 1000);
        QCOMPARE(meter.bytesPerSecond(), 1000.0);
    }
    void laterIntervalsAreSmoothed() {
        SpeedMeter meter;
        meter.sample(0, 0);
        meter.sample(1000, 1000);
        meter.sample(3000, 2000); // 2000 B/s now
        QCOMPARE(meter.bytesPerSecond(), 0.25 * 2000 + 0.75 * 1000);
    }
    void etaFollowsTheSpeed() {
        SpeedMeter meter;
        QCOMPARE(meter.etaSeconds(100), -1);
        meter.sample(0, 0);
        meter.sample(1000, 1000);
        QCOMPARE(meter.etaSeconds(2500), 3);
    }
    void goingBackwardsRestartsTheBaseline() {
        SpeedMeter meter;
        meter.sample(5000, 0);
        meter.sample(1000, 1000);
        meter.sample(2000, 2000);
        QCOMPARE(meter.bytesPerSecond(), 1000.0);
    }
    void aStalledLinkDecays() {
        SpeedMeter meter;
        meter.sample(0, 0);
        meter.sample(1000, 1000);
        QCOMPARE(meter.bytesPerSecondAt(1500), 1000.0); // within the usual interval
        QCOMPARE(meter.bytesPerSecondAt(5000), 250.0);  // silent four times as long
        QCOMPARE(meter.etaSecondsAt(1000, 5000), 4);
        QCOMPARE(meter.bytesPerSecond(), 1000.0);
    }
};

QTEST_GUILESS_MAIN(TestSpeedMeter)
#include "tst_speed_meter.moc"
