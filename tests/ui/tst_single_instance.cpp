#include "single_instance.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using hoist::SingleInstance;

// A second `hoist FILE…` hands its files to the window already running.
class TestSingleInstance final : public QObject {
    Q_OBJECT

  private slots:
    void aSecondInstanceHandsItsFilesOver() {
        const QString name = "hoist-test-" + QUuid::createUuid().toString(QUuid::Id128);
        SingleInstance first(name);
        QVERIFY(!first.handOver({"/tmp/a"}, 500)); // nobody runs yet
        QVERIFY(first.listen());
        QSignalSpy received(&first, &SingleInstance::filesReceived);

        SingleInstance second(name);
        QVERIFY(second.handOver({"/tmp/a b.bin", "relative.txt"}));
        QTRY_COMPARE(received.size(), 1);
        const QStringList paths = received[0][0].toStringList();
        QCOMPARE(paths.size(), 2);
        QCOMPARE(paths[0], QStringLiteral("/tmp/a b.bin"));
        QVERIFY(paths[1].startsWith('/') && paths[1].endsWith("/relative.txt"));
    }
};

QTEST_MAIN(TestSingleInstance)
#include "tst_single_instance.moc"
