// The FileCatalog contract (file_catalog.h), run against every implementation: the
// in-memory fake and SQLite. Lookups are per user: another user's file does not exist
// (docs/protocol.md: dedup never reveals another user's files, and a foreign file is a
// 404). A new catalog gets every check by one line in implementations().
#include "fake_file_catalog.h"
#include "implementation_rows.h"
#include "postgres_file_catalog.h"
#include "sqlite_file_catalog.h"
#include "temporary_postgres.h"
#include "temporary_store.h"

#include <QTest>

using namespace hoist;
using hoist::test::Implementation;

namespace {

// One implementation on a store of its own.
class CatalogUnderTest {
  public:
    virtual ~CatalogUnderTest() = default;
    virtual FileCatalog& catalog() = 0;
};

using Made = tl::expected<std::unique_ptr<CatalogUnderTest>, QString>;

class FakeUnderTest final : public CatalogUnderTest {
  public:
    FileCatalog& catalog() override { return m_catalog; }

  private:
    hoist::test::FakeFileCatalog m_catalog;
};

class SqliteUnderTest final : public CatalogUnderTest {
  public:
    FileCatalog& catalog() override { return m_db.store(); }

  private:
    hoist::test::TemporaryStore<SqliteFileCatalog> m_db;
};

class PostgresUnderTest final : public CatalogUnderTest {
  public:
    FileCatalog& catalog() override { return m_db.store(); }

  private:
    hoist::test::TemporaryPostgresStore<PostgresFileCatalog> m_db;
};

FileRecord record(const std::string& fileId, const std::string& userId, std::int64_t createdAt,
                  const std::string& fingerprint = std::string(64, 'a'), std::int64_t size = 1000) {
    FileRecord r;
    r.fileId = fileId;
    r.userId = userId;
    r.fileName = fileId + ".bin";
    r.size = size;
    r.fingerprint = fingerprint;
    r.mimeType = "application/octet-stream";
    r.detectedMimeType = "image/png";
    r.createdAt = createdAt;
    r.storageKey = "objects/" + fileId;
    r.sessionId = "session-" + fileId;
    return r;
}

std::vector<std::string> idsOf(const CatalogResult<std::vector<FileRecord>>& records) {
    std::vector<std::string> ids;
    for (const FileRecord& r : records.value())
        ids.push_back(r.fileId);
    return ids;
}

std::string foundId(const CatalogResult<std::optional<FileRecord>>& found) {
    return found.value() ? found.value()->fileId : std::string();
}

} // namespace

class TestFileCatalogContract final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase_data();
    void init();
    void cleanup() { m_underTest.reset(); }
    void addAndFindKeepEveryField();
    void duplicateFileIdIsRefused();
    void listIsOrderedByCreation();
    void findByFingerprintNeedsSizeToo();
    void findBySession();
    void removeIsIdempotent();
    void usersNeverSeeEachOthersFiles();
    void bytesStoredCountsOnlyTheUsersFiles();

  private:
    static std::vector<Implementation<CatalogUnderTest>> implementations();
    FileCatalog& catalog() { return m_underTest->catalog(); }

    std::unique_ptr<CatalogUnderTest> m_underTest;
};

std::vector<Implementation<CatalogUnderTest>> TestFileCatalogContract::implementations() {
    return {
        {"fake", [] { return Made(std::make_unique<FakeUnderTest>()); }},
        {"sqlite", [] { return Made(std::make_unique<SqliteUnderTest>()); }},
        {"postgres", [] { return Made(std::make_unique<PostgresUnderTest>()); }},
    };
}

void TestFileCatalogContract::initTestCase_data() {
    hoist::test::addImplementationRows(implementations());
}

void TestFileCatalogContract::init() {
    hoist::test::makeCurrentImplementation(implementations(), m_underTest);
}

void TestFileCatalogContract::addAndFindKeepEveryField() {
    const FileRecord added = record("f1", "alice", 1700000000);
    QVERIFY(catalog().add(added).has_value());
    const FileRecord found = catalog().find("alice", "f1").value().value();
    QCOMPARE(found.fileId, added.fileId);
    QCOMPARE(found.userId, added.userId);
    QCOMPARE(found.fileName, added.fileName);
    QCOMPARE(found.size, added.size);
    QCOMPARE(found.fingerprint, added.fingerprint);
    QCOMPARE(found.mimeType, added.mimeType);
    QCOMPARE(found.detectedMimeType, added.detectedMimeType);
    QCOMPARE(found.createdAt, added.createdAt);
    QCOMPARE(found.storageKey, added.storageKey);
    QCOMPARE(found.sessionId, added.sessionId);
    QVERIFY(!catalog().find("alice", "nope").value().has_value());
}

void TestFileCatalogContract::duplicateFileIdIsRefused() {
    QVERIFY(catalog().add(record("f1", "alice", 1)).has_value());
    QVERIFY(!catalog().add(record("f1", "bob", 2)).has_value());
    QCOMPARE(idsOf(catalog().list("bob")), std::vector<std::string>{});
}

void TestFileCatalogContract::listIsOrderedByCreation() {
    QVERIFY(catalog().add(record("late", "alice", 300)).has_value());
    QVERIFY(catalog().add(record("early", "alice", 100)).has_value());
    QVERIFY(catalog().add(record("middle", "alice", 200)).has_value());
    // The same second: the file id breaks the tie, so pages never shuffle.
    QVERIFY(catalog().add(record("b-same", "alice", 200)).has_value());
    QCOMPARE(idsOf(catalog().list("alice")),
             (std::vector<std::string>{"early", "b-same", "middle", "late"}));
    QVERIFY(catalog().list("nobody").value().empty());
}

void TestFileCatalogContract::findByFingerprintNeedsSizeToo() {
    const std::string fp = std::string(64, 'b');
    QVERIFY(catalog().add(record("second", "alice", 200, fp, 1000)).has_value());
    QVERIFY(catalog().add(record("first", "alice", 100, fp, 1000)).has_value());
    // The oldest copy answers.
    QCOMPARE(foundId(catalog().findByFingerprint("alice", fp, 1000)), "first");
    QCOMPARE(foundId(catalog().findByFingerprint("alice", fp, 999)), "");
    QCOMPARE(foundId(catalog().findByFingerprint("alice", std::string(64, 'c'), 1000)), "");
}

void TestFileCatalogContract::findBySession() {
    QVERIFY(catalog().add(record("f1", "alice", 1)).has_value());
    QCOMPARE(foundId(catalog().findBySession("alice", "session-f1")), "f1");
    QCOMPARE(foundId(catalog().findBySession("alice", "session-f2")), "");
}

void TestFileCatalogContract::removeIsIdempotent() {
    QVERIFY(catalog().add(record("f1", "alice", 1)).has_value());
    QVERIFY(catalog().add(record("f2", "alice", 2)).has_value());
    QVERIFY(catalog().remove("alice", "f1").has_value());
    QVERIFY(!catalog().find("alice", "f1").value().has_value());
    QCOMPARE(foundId(catalog().findBySession("alice", "session-f1")), "");
    QCOMPARE(idsOf(catalog().list("alice")), std::vector<std::string>{"f2"});
    QVERIFY(catalog().remove("alice", "f1").has_value()); // already gone: still fine
}

void TestFileCatalogContract::usersNeverSeeEachOthersFiles() {
    const std::string fp = std::string(64, 'd');
    QVERIFY(catalog().add(record("alices", "alice", 1, fp, 1000)).has_value());
    QVERIFY(catalog().add(record("bobs", "bob", 2)).has_value());

    QVERIFY(!catalog().find("bob", "alices").value().has_value());
    QCOMPARE(idsOf(catalog().list("bob")), std::vector<std::string>{"bobs"});
    QCOMPARE(foundId(catalog().findByFingerprint("bob", fp, 1000)), "");
    QCOMPARE(foundId(catalog().findBySession("bob", "session-alices")), "");
    QVERIFY(catalog().remove("bob", "alices").has_value());
    QCOMPARE(foundId(catalog().find("alice", "alices")), "alices");
}

void TestFileCatalogContract::bytesStoredCountsOnlyTheUsersFiles() {
    QCOMPARE(catalog().bytesStoredBy("alice").value(), std::int64_t{0});
    QVERIFY(catalog().add(record("a1", "alice", 1, std::string(64, 'a'), 1000)).has_value());
    QVERIFY(catalog().add(record("a2", "alice", 2, std::string(64, 'b'), 24)).has_value());
    QVERIFY(catalog().add(record("b1", "bob", 3, std::string(64, 'c'), 7)).has_value());
    QCOMPARE(catalog().bytesStoredBy("alice").value(), std::int64_t{1024});
    QVERIFY(catalog().remove("alice", "a2").has_value());
    QCOMPARE(catalog().bytesStoredBy("alice").value(), std::int64_t{1000});
    QCOMPARE(catalog().bytesStoredBy("bob").value(), std::int64_t{7});
}

QTEST_GUILESS_MAIN(TestFileCatalogContract)
#include "tst_file_catalog_contract.moc"
