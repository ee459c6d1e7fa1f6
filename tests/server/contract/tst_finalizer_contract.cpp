// The Finalizer contract (finalizer.h), run against every implementation: the fake,
// the built-in library on SQLite, and the signed callback to an application server
// that keeps docs/webhooks.md (webhook-id is the idempotency key). Completed carries a
// fileId; finalizing a session again gives the same file, never a second one; Retry
// leaves no file behind. A new finalizer gets every check by one line in
// implementations().
#include "callback_finalizer.h"
#include "fake_finalizer.h"
#include "fake_storage_backend.h"
#include "implementation_rows.h"
#include "library_finalizer.h"
#include "sqlite_file_catalog.h"
#include "stub_app_server.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <set>

using namespace hoist;
using hoist::test::Implementation;

namespace {

using Files = std::set<std::string>;

// One implementation with the world it files uploads into.
class FinalizerUnderTest {
  public:
    virtual ~FinalizerUnderTest() = default;
    virtual Finalizer& finalizer() = 0;
    // While set, where the finalizer files uploads fails (the catalog's database, the
    // application server).
    virtual void setFailing(bool failing) = 0;
    // The ids of every file that exists there for `userId`.
    virtual Files files(const std::string& userId) = 0;
};

using Made = tl::expected<std::unique_ptr<FinalizerUnderTest>, QString>;

class FakeUnderTest final : public FinalizerUnderTest {
  public:
    Finalizer& finalizer() override { return m_fake; }
    void setFailing(bool failing) override {
        m_fake.setOutcome(failing ? FinalizeOutcome::Status::Retry
                                  : FinalizeOutcome::Status::Completed);
    }
    Files files(const std::string& userId) override { return m_fake.files(userId); }

  private:
    hoist::test::FakeFinalizer m_fake;
};

class LibraryUnderTest final : public FinalizerUnderTest {
  public:
    LibraryUnderTest() {
        auto db = SqliteDatabase::open(m_dir.filePath("hoistd.db").toStdString());
        if (!db)
            qFatal("%s", db.error().c_str());
        m_db = std::move(*db);
        auto catalog = SqliteFileCatalog::open(*m_db);
        if (!catalog)
            qFatal("cannot open the catalog");
        m_catalog = std::move(*catalog);
        m_finalizer = std::make_unique<LibraryFinalizer>(*m_catalog);
    }
    Finalizer& finalizer() override { return *m_finalizer; }
    // The files table out of reach: every statement on it fails, as on a broken disk.
    void setFailing(bool failing) override {
        auto lock = m_db->lock();
        const auto renamed = m_db->exec(failing ? "ALTER TABLE files RENAME TO files_away"
                                                : "ALTER TABLE files_away RENAME TO files");
        if (!renamed)
            qFatal("%s", renamed.error().c_str());
    }
    Files files(const std::string& userId) override {
        Files ids;
        const auto records = m_catalog->list(userId);
        for (const FileRecord& record : records.value())
            ids.insert(record.fileId);
        return ids;
    }

  private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqliteDatabase> m_db;
    std::unique_ptr<SqliteFileCatalog> m_catalog;
    std::unique_ptr<LibraryFinalizer> m_finalizer;
};

// The application server of docs/webhooks.md: one file per webhook-id, the same
// fileId again for a repeated delivery.
class CallbackUnderTest final : public FinalizerUnderTest {
  public:
    CallbackUnderTest() {
        if (!m_app.listen())
            qFatal("the stub application server cannot listen");
        CallbackSettings settings;
        settings.url = m_app.url().toStdString();
        settings.secret = "contract-secret";
        m_finalizer =
            std::make_unique<CallbackFinalizer>(settings, m_http, m_backend, m_links, m_logger);
    }
    Finalizer& finalizer() override { return *m_finalizer; }
    void setFailing(bool failing) override { m_failing = failing; }
    Files files(const std::string& userId) override { return m_files[userId]; }

  private:
    StubAppServer::Answer answer(const StubAppServer::Received& delivery) {
        if (m_failing)
            return {503, "{}"};
        const QJsonObject event = QJsonDocument::fromJson(delivery.body).object();
        const std::string fileId = "app-" + delivery.headers["webhook-id"].toStdString();
        m_files[event["userId"].toString().toStdString()].insert(fileId);
        return {200, QJsonDocument(QJsonObject{{"fileId", QString::fromStdString(fileId)}})
                         .toJson(QJsonDocument::Compact)};
    }

    bool m_failing = false;
    std::map<std::string, Files> m_files;
    StubAppServer m_app{
        [this](const StubAppServer::Received& delivery) { return answer(delivery); }};
    HttpClient m_http;
    hoist::test::FakeStorageBackend m_backend;
    CapabilityLinks m_links{"contract-link-key"};
    Logger m_logger{LogLevel::Error};
    std::unique_ptr<CallbackFinalizer> m_finalizer;
};

Session finalizingSession() {
    Session session;
    session.id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    session.userId = "alice";
    session.fileName = "report.pdf";
    session.size = 1000;
    session.chunkSize = 1000;
    session.uploadedBytes = 1000;
    session.state = SessionState::Finalizing;
    session.fingerprint = std::string(64, 'a');
    session.detectedMimeType = "application/pdf";
    session.staging.key = "staging/" + session.id;
    return session;
}

// Finalizers block (the callback waits for its answer), while the application server
// answers on this thread's event loop: finalize on a worker and serve meanwhile.
FinalizeOutcome finalize(Finalizer& finalizer, const Session& session) {
    FinalizeOutcome outcome;
    const std::unique_ptr<QThread> worker(
        QThread::create([&] { outcome = finalizer.finalize(session); }));
    QEventLoop loop;
    QObject::connect(worker.get(), &QThread::finished, &loop, &QEventLoop::quit);
    worker->start();
    loop.exec();
    return outcome;
}

} // namespace

class TestFinalizerContract final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase_data();
    void init();
    void cleanup() { m_underTest.reset(); }
    void completedCarriesAFileId();
    void finalizingTwiceGivesTheSameFile();
    void retryLeavesNoFile();
    void everySessionIsAFileOfItsOwn();

  private:
    static std::vector<Implementation<FinalizerUnderTest>> implementations();
    FinalizeOutcome finalize(const Session& session) {
        return ::finalize(m_underTest->finalizer(), session);
    }
    Files files() { return m_underTest->files("alice"); }

    std::unique_ptr<FinalizerUnderTest> m_underTest;
};

std::vector<Implementation<FinalizerUnderTest>> TestFinalizerContract::implementations() {
    return {
        {"fake", [] { return Made(std::make_unique<FakeUnderTest>()); }},
        {"library", [] { return Made(std::make_unique<LibraryUnderTest>()); }},
        {"callback", [] { return Made(std::make_unique<CallbackUnderTest>()); }},
    };
}

void TestFinalizerContract::initTestCase_data() {
    hoist::test::addImplementationRows(implementations());
}

void TestFinalizerContract::init() {
    hoist::test::makeCurrentImplementation(implementations(), m_underTest);
}

void TestFinalizerContract::completedCarriesAFileId() {
    const FinalizeOutcome outcome = finalize(finalizingSession());
    QCOMPARE(outcome.status, FinalizeOutcome::Status::Completed);
    QVERIFY(!outcome.fileId.empty());
    QCOMPARE(files(), Files{outcome.fileId});
    QVERIFY(m_underTest->files("bob").empty());
}

void TestFinalizerContract::finalizingTwiceGivesTheSameFile() {
    // A crash after the finalizer filed the upload but before the session was marked
    // completed: the runner finalizes the same session again.
    const Session session = finalizingSession();
    const FinalizeOutcome first = finalize(session);
    const FinalizeOutcome second = finalize(session);
    QCOMPARE(first.status, FinalizeOutcome::Status::Completed);
    QCOMPARE(second.status, FinalizeOutcome::Status::Completed);
    QCOMPARE(second.fileId, first.fileId);
    QCOMPARE(files(), Files{first.fileId});
}

void TestFinalizerContract::retryLeavesNoFile() {
    const Session session = finalizingSession();
    m_underTest->setFailing(true);
    const FinalizeOutcome failed = finalize(session);
    QCOMPARE(failed.status, FinalizeOutcome::Status::Retry);
    QVERIFY(failed.fileId.empty());
    QVERIFY(!failed.message.empty());
    m_underTest->setFailing(false);
    QCOMPARE(files(), Files{});

    const FinalizeOutcome retried = finalize(session);
    QCOMPARE(retried.status, FinalizeOutcome::Status::Completed);
    QCOMPARE(files(), Files{retried.fileId});
}

void TestFinalizerContract::everySessionIsAFileOfItsOwn() {
    const FinalizeOutcome one = finalize(finalizingSession());
    const FinalizeOutcome other = finalize(finalizingSession());
    QVERIFY(one.fileId != other.fileId);
    QCOMPARE(files(), (Files{one.fileId, other.fileId}));
}

QTEST_GUILESS_MAIN(TestFinalizerContract)
#include "tst_finalizer_contract.moc"
