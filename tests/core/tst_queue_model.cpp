#include "fake_protocol_client_factory.h"

#include "queue_model.h"
#include "upload_queue.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hoist;

class TestQueueModel final : public QObject {
    Q_OBJECT

    // Files "0" … "count - 1", each holding its number; nothing on a failure.
    static QStringList writeFiles(const QTemporaryDir& dir, int count) {
        QStringList paths;
        for (int i = 0; i < count; ++i) {
            QFile file(dir.filePath(QString::number(i)));
            if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::number(i)) <= 0)
                return {};
            paths << file.fileName();
        }
        return paths;
    }

  private slots:
    void followsTheQueue() {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("folder/sub"));
        for (const QString name : {"folder/a", "folder/sub/b", "c"}) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(3000, 'x') + name.toUtf8());
        }
        FakeProtocolClientFactory clients;
        FakeProtocolClient& client = clients.client;
        UploadQueue queue(clients, nullptr);
        QueueModel model(queue);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRefreshInterval(20);

        QVERIFY(
            queue.addPaths({dir.filePath("folder"), dir.filePath("c")}, QUrl("http://127.0.0.1:1"))
                .isEmpty());
        QCOMPARE(model.rowCount(), 3); // the folder's two files, then c
        QCOMPARE(model.columnCount(), int(QueueModel::ColumnCount));
        QCOMPARE(model.index(0, QueueModel::Name).data().toString(), QStringLiteral("a"));
        QCOMPARE(model.index(2, 0).data(QueueModel::SizeRole).toLongLong(), 3001);
        // Each job asked the factory for its server's native client.
        QCOMPARE(clients.requests.size(), 3);
        QCOMPARE(clients.requests.first().first, QUrl("http://127.0.0.1:1"));
        QVERIFY(clients.requests.first().second == Protocol::Native);

        // Run them one by one to the end, as a scheduler would.
        for (int row = 0; row < 3; ++row) {
            client.committed = 0;
            queue.job(row)->start();
            QTRY_COMPARE(model.index(row, 0).data(QueueModel::StateRole).toInt(),
                         int(JobState::Done));
        }
        model.flush();
        QCOMPARE(model.index(1, QueueModel::FileId).data().toString(), QStringLiteral("file-1"));
        QCOMPARE(model.index(1, 0).data(QueueModel::ConfirmedBytesRole).toLongLong(),
                 model.index(1, 0).data(QueueModel::SizeRole).toLongLong());
        QCOMPARE(model.index(1, QueueModel::State).data().toString(), QStringLiteral("done"));

        queue.remove(1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, QueueModel::Name).data().toString(), QStringLiteral("c"));
    }

    void coalescesUpdatesPerRow() {
        QTemporaryDir dir;
        const QStringList paths = writeFiles(dir, 200);
        QCOMPARE(paths.size(), 200);
        FakeProtocolClientFactory clients;
        UploadQueue queue(clients, nullptr);
        QueueModel model(queue);
        model.setRefreshInterval(100000); // only explicit flushes
        queue.addPaths(paths, QUrl("http://127.0.0.1:1"));
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

        // Many changes of a few rows: one dataChanged per changed row.
        for (int round = 0; round < 10; ++round) {
            queue.pause(3);
            queue.resume(3);
            queue.pause(7);
            queue.resume(7);
        }
        model.flush();
        QCOMPARE(changes.size(), 2);

        // Most rows changed: one dataChanged for the whole table.
        changes.clear();
        queue.pauseAll();
        model.flush();
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0][0].value<QModelIndex>().row(), 0);
        QCOMPARE(changes[0][1].value<QModelIndex>().row(), 199);
    }

    void removesManyRowsInOnePass() {
        QTemporaryDir dir;
        const QStringList paths = writeFiles(dir, 10);
        QCOMPARE(paths.size(), 10);
        FakeProtocolClientFactory clients;
        UploadQueue queue(clients, nullptr);
        QueueModel model(queue);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        queue.addPaths(paths, QUrl("http://127.0.0.1:1"));
        QSignalSpy removals(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

        // Contiguous rows, in any order and with repeats: one range.
        queue.removeRows({3, 1, 2, 2});
        QCOMPARE(removals.size(), 1);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(model.rowCount(), 7);
        // Scattered rows: one reset, never one signal per row.
        queue.removeRows({0, 2, 4, 6, 99});
        QCOMPARE(removals.size(), 1);
        QCOMPARE(resets.size(), 1);
        QStringList left;
        for (int row = 0; row < model.rowCount(); ++row) {
            left << model.index(row, QueueModel::Name).data().toString();
            QCOMPARE(queue.rowOf(queue.job(row)), row);
        }
        QCOMPARE(left, QStringList({"4", "6", "8"}));
    }

    void clearFinishedKeepsTheRest() {
        QTemporaryDir dir;
        const QStringList paths = writeFiles(dir, 4);
        QCOMPARE(paths.size(), 4);
        FakeProtocolClientFactory clients;
        UploadQueue queue(clients, nullptr);
        queue.addPaths(paths, QUrl("http://127.0.0.1:1"));
        for (const int row : {0, 2}) {
            clients.client.committed = 0;
            queue.job(row)->start();
            QTRY_VERIFY(isDone(queue.job(row)->state()));
        }
        queue.clearFinished();
        QCOMPARE(queue.count(), 2);
        QVERIFY(queue.job(0)->record().path.endsWith("/1"));
        QVERIFY(queue.job(1)->record().path.endsWith("/3"));
    }
};

QTEST_GUILESS_MAIN(TestQueueModel)
#include "tst_queue_model.moc"
