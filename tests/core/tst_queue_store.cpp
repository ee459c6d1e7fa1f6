#include "queue_saver.h"
#include "queue_store.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hoist;

namespace {

JobRecord progressAt(qint64 confirmedBytes) {
    JobRecord record;
    record.path = "/data/a.bin";
    record.size = 100;
    record.state = JobState::Uploading;
    record.confirmedBytes = confirmedBytes;
    return record;
}

} // namespace

class TestQueueStore final : public QObject {
    Q_OBJECT

  private slots:
    void theSaverWritesTheNewestQueueLast() {
        QTemporaryDir dir;
        const QueueStore store(dir.path());
        QueueSaver saver(store);
        for (qint64 confirmed = 1; confirmed <= 50; ++confirmed)
            saver.saveLater({progressAt(confirmed)});
        QTRY_VERIFY(!saver.busy());
        QCOMPARE(store.load().value(0).confirmedBytes, 50);
    }
    void saveNowDropsWhatWasPending() {
        QTemporaryDir dir;
        const QueueStore store(dir.path());
        QueueSaver saver(store);
        saver.saveLater({progressAt(1)});
        saver.saveLater({progressAt(2)}); // pending behind the first
        QVERIFY(saver.saveNow({progressAt(3)}, nullptr));
        QVERIFY(!saver.busy());
        QTest::qWait(50); // a pending save that was kept would run now
        QCOMPARE(store.load().value(0).confirmedBytes, 3);
    }
    void roundTrip() {
        QTemporaryDir dir;
        const QueueStore store(dir.filePath("nested/queue"));
        QVERIFY(store.load().isEmpty());
        JobRecord record;
        record.path = "/data/a.bin";
        record.size = 1 << 30;
        record.modifiedMs = 1700000000123;
        record.server = QUrl("https://example.org:8443");
        record.state = JobState::Uploading;
        record.fingerprint = QString(64, 'a');
        record.sessionId = "session";
        record.chunkSize = 8 << 20;
        record.confirmedBytes = 16 << 20;
        JobRecord done = record;
        done.path = "/data/b.bin";
        done.state = JobState::DoneDuplicate;
        done.fileId = "file";
        QVERIFY(store.save({record, done}));
        const QList<JobRecord> loaded = store.load();
        QCOMPARE(loaded.size(), 2);
        QCOMPARE(loaded[0].toJson(), record.toJson());
        QCOMPARE(loaded[1].toJson(), done.toJson());
    }
    void unusableRecordsAreSkipped() {
        QTemporaryDir dir;
        const QueueStore store(dir.path());
        QVERIFY(writeQueueFile(
            store,
            R"({"version":1,"jobs":[{"path":"/x","state":"bogus"},{"path":"/y","state":"paused"}]})"));
        const QList<JobRecord> loaded = store.load();
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded[0].path, QStringLiteral("/y"));
    }
    void queueFilesWithoutAProtocolLoadAsNative() {
        QTemporaryDir dir;
        const QueueStore store(dir.path());
        QVERIFY(writeQueueFile(
            store, R"({"version":1,"jobs":[{"path":"/x","state":"paused","sessionId":"s"}]})"));
        const QList<JobRecord> loaded = store.load();
        QCOMPARE(loaded.size(), 1);
        QVERIFY(loaded[0].protocol == Protocol::Native);
        QCOMPARE(loaded[0].sessionId, QStringLiteral("s"));
        QCOMPARE(loaded[0].toJson().value("protocol").toString(), QStringLiteral("native"));
    }
    void unknownProtocolsAreSkipped() {
        QTemporaryDir dir;
        const QueueStore store(dir.path());
        QVERIFY(writeQueueFile(
            store,
            R"({"version":1,"jobs":[{"path":"/x","state":"paused","protocol":"carrier-pigeon"}]})"));
        QVERIFY(store.load().isEmpty());
    }
    void defaultDirectoryFollowsXdgDataHome() {
        QTemporaryDir dir;
        qputenv("XDG_DATA_HOME", dir.path().toUtf8());
        QCoreApplication::setOrganizationName("hoist");
        QCoreApplication::setApplicationName("hoist");
        QVERIFY(QueueStore::defaultDirectory().startsWith(dir.path()));
    }

  private:
    // A queue file as an older or newer version (or a person) may have left it.
    static bool writeQueueFile(const QueueStore& store, const QByteArray& json) {
        QFile file(store.filePath());
        return file.open(QIODevice::WriteOnly) && file.write(json) == json.size();
    }
};

QTEST_GUILESS_MAIN(TestQueueStore)
#include "tst_queue_store.moc"
