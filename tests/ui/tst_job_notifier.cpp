// Notifications for finished, failed and already-uploaded files, merged when
// they come together, from real jobs against a real hoistd.

#include "hoistd_process.h"
#include "job_notifier.h"
#include "ui_test_support.h"
#include "upload_engine.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestJobNotifier final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;

    QString file(const QString& name, qint64 size) {
        const QString path = m_dir.filePath("files/" + name);
        ui_test::writeFile(path, size);
        return path;
    }

    std::unique_ptr<hoist::UploadEngine> engine() {
        return std::make_unique<hoist::UploadEngine>(
            ui_test::testSettings(m_server->url(), "tokA"),
            m_dir.filePath(QStringLiteral("queue-%1").arg(QTest::currentTestFunction())));
    }

  private slots:
    void initTestCase() {
        m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"),
                                                   QStringList{"--max-size", "1M"});
        QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
    }

    void oneFileOneNotification() {
        auto uploads = engine();
        hoist::JobNotifier notifier(100);
        notifier.setQueue(&uploads->queue());
        QSignalSpy notified(&notifier, &hoist::JobNotifier::notify);
        uploads->queue().addPaths({file("single.txt", 100)}, m_server->url());
        QVERIFY(notified.wait(15000));
        QCOMPARE(notified.first().at(0).toString(), QString("Uploaded"));
        QCOMPARE(notified.first().at(1).toString(), QString("single.txt"));
        QCOMPARE(notified.first().at(2).toBool(), false);

        // The same bytes again: the server has them already.
        notified.clear();
        uploads->queue().addPaths({file("single.txt", 100)}, m_server->url());
        QVERIFY(notified.wait(15000));
        QCOMPARE(notified.first().at(0).toString(), QString("Already on the server"));
    }

    void manyAtOnceAreMerged() {
        auto uploads = engine();
        hoist::JobNotifier notifier(1500);
        notifier.setQueue(&uploads->queue());
        QSignalSpy notified(&notifier, &hoist::JobNotifier::notify);
        uploads->queue().addPaths({file("m1.txt", 10), file("m2.txt", 20), file("m3.txt", 30),
                                   file("too-large.bin", 2 * 1024 * 1024)},
                                  m_server->url());
        QVERIFY(notified.wait(15000));
        QTest::qWait(200);
        QCOMPARE(notified.count(), 1);
        QCOMPARE(notified.first().at(0).toString(), QString("Some uploads failed"));
        QCOMPARE(notified.first().at(1).toString(), QString("3 uploaded, 1 failed"));
        QCOMPARE(notified.first().at(2).toBool(), true);
    }

    void disabledStaysQuiet() {
        auto uploads = engine();
        hoist::JobNotifier notifier(50);
        notifier.setQueue(&uploads->queue());
        notifier.setEnabled(false);
        QSignalSpy notified(&notifier, &hoist::JobNotifier::notify);
        uploads->queue().addPaths({file("quiet.txt", 40)}, m_server->url());
        QTRY_VERIFY_WITH_TIMEOUT(hoist::isDone(uploads->queue().job(0)->state()), 15000);
        QTest::qWait(200);
        QCOMPARE(notified.count(), 0);
    }
};

HOIST_UI_TEST_MAIN(TestJobNotifier)

#include "tst_job_notifier.moc"
