// ShareLinks decides which jobs can be shared and asks their server for a link; the
// window and the command line only show what it answers (docs/protocol.md, "Share
// links"). Run against the fake protocol client.

#include "fake_protocol_client_factory.h"

#include "queue_store.h"
#include "share_links.h"
#include "upload_queue.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <QCoroTask>

using hoist::JobRecord;
using hoist::JobState;
using hoist::ShareLinks;

namespace {

JobRecord record(const QString& path, JobState state, const QString& fileId) {
    JobRecord r;
    r.path = path;
    r.size = 10;
    r.server = QUrl(QStringLiteral("https://files.example.org"));
    r.state = state;
    r.fileId = fileId;
    return r;
}

} // namespace

class TestShareLinks final : public QObject {
    Q_OBJECT

  private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        m_factory = std::make_unique<FakeProtocolClientFactory>();
        hoist::QueueStore store(m_dir.path());
        // Rows: done with a file id, a duplicate found at preflight, done without one
        // (a tus server names no file), paused, failed.
        QVERIFY(store.save({record("/data/done.bin", JobState::Done, "f-done"),
                            record("/data/dup.bin", JobState::DoneDuplicate, "f-dup"),
                            record("/data/tus.bin", JobState::Done, {}),
                            record("/data/paused.bin", JobState::Paused, {}),
                            record("/data/failed.bin", JobState::Failed, {})}));
        m_store = std::make_unique<hoist::QueueStore>(m_dir.path());
        m_queue = std::make_unique<hoist::UploadQueue>(*m_factory, m_store.get());
        m_queue->restore();
        QCOMPARE(m_queue->count(), 5);
        m_links = std::make_unique<ShareLinks>(*m_queue, *m_factory);
    }
    void cleanup() {
        m_links.reset();
        m_queue.reset();
        m_store.reset();
        m_factory.reset();
    }

    void onlyFinishedFilesTheServerNamedCanBeShared() {
        QVERIFY(m_links->canShare(0));
        QVERIFY(m_links->canShare(1));
        QVERIFY(!m_links->canShare(2));
        QVERIFY(!m_links->canShare(3));
        QVERIFY(!m_links->canShare(4));
        QVERIFY(!m_links->canShare(5));
        QVERIFY(!m_links->canShare(-1));
    }

    void requestAsksTheJobsServerForItsFile() {
        QSignalSpy created(m_links.get(), &ShareLinks::linkCreated);
        QSignalSpy failed(m_links.get(), &ShareLinks::linkFailed);
        m_links->request(1, 3600);
        QVERIFY(created.wait());
        QCOMPARE(failed.count(), 0);
        QCOMPARE(created.first().at(0).toString(), QString("/data/dup.bin"));
        const auto link = created.first().at(1).value<hoist::ShareLink>();
        QCOMPARE(link.url, QUrl("https://files.example.org/s/token-1"));
        QCOMPARE(m_factory->client.shareRequests.size(), 1);
        QCOMPARE(m_factory->client.shareRequests.first().first, QString("f-dup"));
        QCOMPARE(m_factory->client.shareRequests.first().second, std::optional<qint64>(3600));
        QCOMPARE(m_factory->requests.last().first, QUrl("https://files.example.org"));
        QCOMPARE(m_factory->requests.last().second, hoist::Protocol::Native);

        // No lifetime: the server's default.
        m_links->request(0);
        QVERIFY(created.wait());
        QCOMPARE(m_factory->client.shareRequests.last().first, QString("f-done"));
        QCOMPARE(m_factory->client.shareRequests.last().second, std::optional<qint64>());
    }

    void aRowThatCannotBeSharedAsksNothing() {
        QSignalSpy failed(m_links.get(), &ShareLinks::linkFailed);
        m_links->request(2);
        m_links->request(3);
        QCOMPARE(failed.count(), 2);
        QCOMPARE(failed.first().at(0).toString(), QString("/data/tus.bin"));
        m_links->request(17);
        QCOMPARE(failed.count(), 2);
        QVERIFY(m_factory->client.shareRequests.isEmpty());
    }

    void aRefusalIsReportedWithTheServersWords() {
        m_factory->client.refuseShares = true;
        QSignalSpy created(m_links.get(), &ShareLinks::linkCreated);
        QSignalSpy failed(m_links.get(), &ShareLinks::linkFailed);
        m_links->request(0);
        QVERIFY(failed.wait());
        QCOMPARE(created.count(), 0);
        QCOMPARE(failed.first().at(0).toString(), QString("/data/done.bin"));
        QCOMPARE(failed.first().at(1).toString(),
                 QString("The server refused the request: no such file (status 404)."));
    }

    void theAnswerOutlivesTheJob() {
        QSignalSpy created(m_links.get(), &ShareLinks::linkCreated);
        m_links->request(0);
        m_queue->remove(0);
        QVERIFY(created.wait());
        QCOMPARE(created.first().at(0).toString(), QString("/data/done.bin"));
    }

    void createServesTheCommandLine() {
        const auto link = QCoro::waitFor(ShareLinks::create(
            *m_factory, QUrl("https://other.example.org"), QStringLiteral("f-cli"), 60));
        QVERIFY(link.has_value());
        QCOMPARE(link->linkId, QString("link-1"));
        QCOMPARE(m_factory->requests.last().first, QUrl("https://other.example.org"));
        QCOMPARE(m_factory->client.shareRequests.last().first, QString("f-cli"));
        QCOMPARE(m_factory->client.shareRequests.last().second, std::optional<qint64>(60));
    }

  private:
    QTemporaryDir m_dir;
    std::unique_ptr<FakeProtocolClientFactory> m_factory;
    std::unique_ptr<hoist::QueueStore> m_store;
    std::unique_ptr<hoist::UploadQueue> m_queue;
    std::unique_ptr<ShareLinks> m_links;
};

QTEST_GUILESS_MAIN(TestShareLinks)
#include "tst_share_links.moc"
