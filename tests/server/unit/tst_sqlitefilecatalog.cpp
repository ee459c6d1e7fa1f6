// The built-in library's records on a temporary database, where SQLite shows what the
// FileCatalog contract (tests/server/contract) cannot: the records outlive the process.
#include "sqlite_file_catalog.h"

#include "temporary_store.h"

#include <QTest>

using namespace hoist;
using hoist::test::TemporaryStore;

namespace {
FileRecord record(const std::string& fileId, const std::string& userId) {
    FileRecord r;
    r.fileId = fileId;
    r.userId = userId;
    r.sessionId = "session-" + fileId;
    return r;
}
} // namespace

class TestSqliteFileCatalog final : public QObject {
    Q_OBJECT

  private slots:
    void reopenedDatabaseKeepsEverything();
};

void TestSqliteFileCatalog::reopenedDatabaseKeepsEverything() {
    TemporaryStore<SqliteFileCatalog> db;
    QVERIFY(db.store().add(record("f1", "alice")).has_value());
    QVERIFY(db.store().add(record("f2", "bob")).has_value());
    db.reopen();
    QCOMPARE(db.store().find("alice", "f1").value().value().sessionId, "session-f1");
    QCOMPARE(db.store().findBySession("bob", "session-f2").value().value().fileId, "f2");
    QCOMPARE(db.store().list("alice").value().size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TestSqliteFileCatalog)
#include "tst_sqlitefilecatalog.moc"
