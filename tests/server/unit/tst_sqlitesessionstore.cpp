// The SQLite session store on a temporary database: what it is given comes back, the
// offset moves only with commitChunk, and a reopened database (a restarted hoistd,
// docs/protocol.md invariant 7) keeps everything.
#include "sqlite_session_store.h"

#include "temporary_store.h"

#include <QTest>

using namespace hoist;
using hoist::test::TemporaryStore;

namespace {
// Every field set, and binary state with NUL bytes, so a dropped column shows.
Session sampleSession(const std::string& id, std::int64_t expiresAt = 2000000000) {
    Session s;
    s.id = id;
    s.userId = "alice";
    s.fileName = "r\xC3\xA9sum\xC3\xA9.pdf";
    s.mimeType = "application/pdf";
    s.claimedFingerprint = std::string(64, 'c');
    s.size = 20 * 1024 * 1024;
    s.chunkSize = 8 * 1024 * 1024;
    s.uploadedBytes = 0;
    s.state = SessionState::Uploading;
    s.createdAt = 1700000000;
    s.expiresAt = expiresAt;
    s.staging = StagingRef{"staging/" + id, "upload-" + id};
    s.hashState = std::string("\x01\x00hash\x00state", 12);
    s.head = std::string("%PDF\x00\xff", 6);
    s.fingerprint = "";
    s.detectedMimeType = "";
    s.fileId = "";
    s.failureReason = "";
    s.finalizeAttempts = 0;
    s.nextFinalizeAt = 0;
    return s;
}

void compareSessions(const Session& a, const Session& b) {
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.userId, b.userId);
    QCOMPARE(a.fileName, b.fileName);
    QCOMPARE(a.mimeType, b.mimeType);
    QCOMPARE(a.claimedFingerprint, b.claimedFingerprint);
    QCOMPARE(a.size, b.size);
    QCOMPARE(a.chunkSize, b.chunkSize);
    QCOMPARE(a.uploadedBytes, b.uploadedBytes);
    QCOMPARE(a.state, b.state);
    QCOMPARE(a.createdAt, b.createdAt);
    QCOMPARE(a.expiresAt, b.expiresAt);
    QCOMPARE(a.staging.key, b.staging.key);
    QCOMPARE(a.staging.uploadId, b.staging.uploadId);
    QCOMPARE(a.hashState, b.hashState);
    QCOMPARE(a.head, b.head);
    QCOMPARE(a.fingerprint, b.fingerprint);
    QCOMPARE(a.detectedMimeType, b.detectedMimeType);
    QCOMPARE(a.fileId, b.fileId);
    QCOMPARE(a.failureReason, b.failureReason);
    QCOMPARE(a.finalizeAttempts, b.finalizeAttempts);
    QCOMPARE(a.nextFinalizeAt, b.nextFinalizeAt);
}

std::vector<std::string> idsOf(const StoreResult<std::vector<Session>>& sessions) {
    std::vector<std::string> ids;
    for (const Session& s : sessions.value())
        ids.push_back(s.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}
} // namespace

class TestSqliteSessionStore final : public QObject {
    Q_OBJECT

  private slots:
    void init() { m_db = std::make_unique<TemporaryStore<SqliteSessionStore>>(); }
    void cleanup() { m_db.reset(); }
    void createAndFind();
    void unknownIdIsNotAnError();
    void duplicateIdIsRefused();
    void commitChunkMovesOffsetAndRecordsReceipts();
    void updateNeverMovesTheOffset();
    void removeTakesReceiptsAlong();
    void expiredByIsInclusive();
    void inStateAndCountByState();
    void reopenedDatabaseKeepsEverything();

  private:
    Session commitFirstChunk(const std::string& id);

    SqliteSessionStore& store() { return m_db->store(); }

    std::unique_ptr<TemporaryStore<SqliteSessionStore>> m_db;
};

Session TestSqliteSessionStore::commitFirstChunk(const std::string& id) {
    Session s = sampleSession(id);
    if (!store().create(s))
        qFatal("create failed");
    s.uploadedBytes = s.chunkSize;
    s.hashState = std::string("after\x00one", 9);
    s.head = std::string("%PDF-1.7\x00", 9);
    s.expiresAt += 60;
    if (!store().commitChunk(s, 0, ChunkReceipt{0, "\"etag-0\""}))
        qFatal("commitChunk failed");
    return s;
}

void TestSqliteSessionStore::createAndFind() {
    const Session s = sampleSession("s1");
    QVERIFY(store().create(s));
    const auto found = store().find("s1");
    QVERIFY(found);
    QVERIFY(found->has_value());
    compareSessions(**found, s);
}

void TestSqliteSessionStore::unknownIdIsNotAnError() {
    const auto found = store().find("missing");
    QVERIFY(found);
    QVERIFY(!found->has_value());
    QVERIFY(store().receipts("missing").value().empty());
}

void TestSqliteSessionStore::duplicateIdIsRefused() {
    QVERIFY(store().create(sampleSession("s1")));
    QVERIFY(!store().create(sampleSession("s1")));
}

void TestSqliteSessionStore::commitChunkMovesOffsetAndRecordsReceipts() {
    const Session committed = commitFirstChunk("s1");
    compareSessions(store().find("s1").value().value(), committed);

    Session second = committed;
    second.uploadedBytes += second.chunkSize;
    QVERIFY(store().commitChunk(second, second.chunkSize, ChunkReceipt{1, "\"etag-1\""}));
    // The same chunk committed again from the same offset loses the compare-and-swap
    // and changes nothing.
    const auto again =
        store().commitChunk(second, second.chunkSize, ChunkReceipt{1, "\"etag-1b\""});
    QVERIFY(!again);
    QCOMPARE(again.error().kind, StoreError::Kind::Conflict);
    // A backend without receipts (disk) records none.
    const std::int64_t before = second.uploadedBytes;
    second.uploadedBytes = second.size;
    QVERIFY(store().commitChunk(second, before, ChunkReceipt{2, ""}));

    const auto receipts = store().receipts("s1").value();
    QCOMPARE(receipts.size(), std::size_t(2));
    QCOMPARE(receipts[0].index, std::int64_t{0});
    QCOMPARE(receipts[0].etag, "\"etag-0\"");
    QCOMPARE(receipts[1].index, std::int64_t{1});
    QCOMPARE(receipts[1].etag, "\"etag-1\"");
    QCOMPARE(store().find("s1").value()->uploadedBytes, second.size);
}

void TestSqliteSessionStore::updateNeverMovesTheOffset() {
    const Session committed = commitFirstChunk("s1");
    Session changed = committed;
    changed.uploadedBytes = 0;
    changed.hashState = "stale";
    changed.head = "stale";
    changed.state = SessionState::Finalizing;
    changed.expiresAt = 2100000000;
    changed.staging = StagingRef{"objects/s1", ""};
    changed.fingerprint = std::string(64, 'f');
    changed.detectedMimeType = "application/pdf";
    changed.fileId = "file-1";
    changed.failureReason = "none";
    changed.finalizeAttempts = 3;
    changed.nextFinalizeAt = 1700000300;
    QVERIFY(store().update(changed));

    Session expected = changed;
    expected.uploadedBytes = committed.uploadedBytes;
    expected.hashState = committed.hashState;
    expected.head = committed.head;
    compareSessions(store().find("s1").value().value(), expected);
}

void TestSqliteSessionStore::removeTakesReceiptsAlong() {
    commitFirstChunk("s1");
    commitFirstChunk("s2");
    QVERIFY(store().remove("s1"));
    QVERIFY(!store().find("s1").value().has_value());
    QVERIFY(store().receipts("s1").value().empty());
    QCOMPARE(store().receipts("s2").value().size(), std::size_t(1));
    QVERIFY(store().remove("s1")); // already gone: still fine
}

void TestSqliteSessionStore::expiredByIsInclusive() {
    QVERIFY(store().create(sampleSession("early", 100)));
    QVERIFY(store().create(sampleSession("exact", 200)));
    QVERIFY(store().create(sampleSession("late", 300)));
    QCOMPARE(idsOf(store().expiredBy(99, 10, std::nullopt)), std::vector<std::string>{});
    QCOMPARE(idsOf(store().expiredBy(200, 10, std::nullopt)),
             (std::vector<std::string>{"early", "exact"}));
    QCOMPARE(idsOf(store().expiredBy(1000, 10, std::nullopt)),
             (std::vector<std::string>{"early", "exact", "late"}));
}

void TestSqliteSessionStore::inStateAndCountByState() {
    for (const char* id : {"u1", "u2", "f1", "c1"})
        QVERIFY(store().create(sampleSession(id)));
    Session finalizing = sampleSession("f1");
    finalizing.state = SessionState::Finalizing;
    QVERIFY(store().update(finalizing));
    Session completed = sampleSession("c1");
    completed.state = SessionState::Completed;
    QVERIFY(store().update(completed));

    QCOMPARE(idsOf(store().inState(SessionState::Uploading)),
             (std::vector<std::string>{"u1", "u2"}));
    QCOMPARE(idsOf(store().inState(SessionState::Finalizing)), std::vector<std::string>{"f1"});
    QCOMPARE(idsOf(store().inState(SessionState::Failed)), std::vector<std::string>{});
    const auto counts = store().countByState().value();
    QCOMPARE(counts, (std::map<SessionState, std::int64_t>{{SessionState::Uploading, 2},
                                                           {SessionState::Finalizing, 1},
                                                           {SessionState::Completed, 1}}));
}

void TestSqliteSessionStore::reopenedDatabaseKeepsEverything() {
    const Session committed = commitFirstChunk("s1");
    Session failed = sampleSession("s2");
    QVERIFY(store().create(failed));
    failed.state = SessionState::Failed;
    failed.failureReason = "fingerprint mismatch";
    QVERIFY(store().update(failed));

    m_db->reopen();
    compareSessions(store().find("s1").value().value(), committed);
    compareSessions(store().find("s2").value().value(), failed);
    QCOMPARE(store().receipts("s1").value().size(), std::size_t(1));
    QCOMPARE(store().countByState().value().at(SessionState::Failed), std::int64_t{1});
}

QTEST_GUILESS_MAIN(TestSqliteSessionStore)
#include "tst_sqlitesessionstore.moc"
