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
        QStringList paths;
        for (int i = 0; i < 200; ++i) {
            paths << dir.filePath(QString::number(i));
            QFile file(paths.last());
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray::number(i));
        }
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
};

QTEST_GUILESS_MAIN(TestQueueModel)
#include "tst_queue_model.moc"
