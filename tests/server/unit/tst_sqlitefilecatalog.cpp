// The built-in library's records on a temporary database. Lookups are per user:
// another user's file does not exist (PROTOCOL.md: "Dedup never reveals another
// user's files", and 404 for a foreign file).
#include "sqlite_file_catalog.h"

#include "temporary_store.h"

#include <QTest>

using namespace hoist;
using hoist::test::TemporaryStore;

namespace {
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

class TestSqliteFileCatalog final : public QObject {
    Q_OBJECT

  private slots:
    void init() { m_db = std::make_unique<TemporaryStore<SqliteFileCatalog>>(); }
    void cleanup() { m_db.reset(); }
    void addAndFindKeepEveryField();
    void duplicateFileIdIsRefused();
    void listIsOrderedByCreation();
    void findByFingerprintNeedsSizeToo();
    void findBySession();
    void remove();
    void usersNeverSeeEachOthersFiles();
    void reopenedDatabaseKeepsEverything();

  private:
    SqliteFileCatalog& catalog() { return m_db->store(); }

    std::unique_ptr<TemporaryStore<SqliteFileCatalog>> m_db;
};

void TestSqliteFileCatalog::addAndFindKeepEveryField() {
    const FileRecord added = record("f1", "alice", 1700000000);
    QVERIFY(catalog().add(added));
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

void TestSqliteFileCatalog::duplicateFileIdIsRefused() {
    QVERIFY(catalog().add(record("f1", "alice", 1)));
    QVERIFY(!catalog().add(record("f1", "bob", 2)));
}

void TestSqliteFileCatalog::listIsOrderedByCreation() {
    QVERIFY(catalog().add(record("late", "alice", 300)));
    QVERIFY(catalog().add(record("early", "alice", 100)));
    QVERIFY(catalog().add(record("middle", "alice", 200)));
    QCOMPARE(idsOf(catalog().list("alice")), (std::vector<std::string>{"early", "middle", "late"}));
    QVERIFY(catalog().list("nobody").value().empty());
}

void TestSqliteFileCatalog::findByFingerprintNeedsSizeToo() {
    const std::string fp = std::string(64, 'b');
    QVERIFY(catalog().add(record("second", "alice", 200, fp, 1000)));
    QVERIFY(catalog().add(record("first", "alice", 100, fp, 1000)));
    // The oldest copy answers.
    QCOMPARE(foundId(catalog().findByFingerprint("alice", fp, 1000)), "first");
    QCOMPARE(foundId(catalog().findByFingerprint("alice", fp, 999)), "");
    QCOMPARE(foundId(catalog().findByFingerprint("alice", std::string(64, 'c'), 1000)), "");
}

void TestSqliteFileCatalog::findBySession() {
    QVERIFY(catalog().add(record("f1", "alice", 1)));
    QCOMPARE(foundId(catalog().findBySession("alice", "session-f1")), "f1");
    QCOMPARE(foundId(catalog().findBySession("alice", "session-f2")), "");
}

void TestSqliteFileCatalog::remove() {
    QVERIFY(catalog().add(record("f1", "alice", 1)));
    QVERIFY(catalog().add(record("f2", "alice", 2)));
    QVERIFY(catalog().remove("alice", "f1"));
    QVERIFY(!catalog().find("alice", "f1").value().has_value());
    QCOMPARE(idsOf(catalog().list("alice")), std::vector<std::string>{"f2"});
    QVERIFY(catalog().remove("alice", "f1")); // already gone: still fine
}

void TestSqliteFileCatalog::usersNeverSeeEachOthersFiles() {
    const std::string fp = std::string(64, 'd');
    QVERIFY(catalog().add(record("alices", "alice", 1, fp, 1000)));
    QVERIFY(catalog().add(record("bobs", "bob", 2)));

    QVERIFY(!catalog().find("bob", "alices").value().has_value());
    QCOMPARE(idsOf(catalog().list("bob")), std::vector<std::string>{"bobs"});
    QCOMPARE(foundId(catalog().findByFingerprint("bob", fp, 1000)), "");
    QCOMPARE(foundId(catalog().findBySession("bob", "session-alices")), "");
    QVERIFY(catalog().remove("bob", "alices"));
    QCOMPARE(foundId(catalog().find("alice", "alices")), "alices");
}

void TestSqliteFileCatalog::reopenedDatabaseKeepsEverything() {
    QVERIFY(catalog().add(record("f1", "alice", 1)));
    QVERIFY(catalog().add(record("f2", "bob", 2)));
    m_db->reopen();
    QCOMPARE(idsOf(catalog().list("alice")), std::vector<std::string>{"f1"});
    QCOMPARE(idsOf(catalog().list("bob")), std::vector<std::string>{"f2"});
}

QTEST_GUILESS_MAIN(TestSqliteFileCatalog)
#include "tst_sqlitefilecatalog.moc"
