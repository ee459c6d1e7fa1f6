// The SessionStore contract (session_store.h), run against every implementation: the
// offset commit is a compare-and-swap (of two commits from one offset exactly one
// wins), errors are typed, expired sessions come in pages by (expiresAt, id), and the
// counts the limits at init rely on. A PostgreSQL store adds one row to stores().
#include "fake_session_store.h"
#include "postgres_session_store.h"
#include "sqlite_session_store.h"
#include "temporary_postgres.h"
#include "temporary_store.h"

#include <QTest>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace hoist;

namespace {
// An implementation with whatever it stands on (a database file, a server).
class StoreUnderTest {
  public:
    virtual ~StoreUnderTest() = default;
    virtual SessionStore& store() = 0;
};

class FakeUnderTest final : public StoreUnderTest {
  public:
    SessionStore& store() override { return m_store; }

  private:
    test::FakeSessionStore m_store;
};

class SqliteUnderTest final : public StoreUnderTest {
  public:
    SessionStore& store() override { return m_db.store(); }

  private:
    test::TemporaryStore<SqliteSessionStore> m_db;
};

class PostgresUnderTest final : public StoreUnderTest {
  public:
    SessionStore& store() override { return m_db.store(); }

  private:
    test::TemporaryPostgresStore<PostgresSessionStore> m_db;
};

using StoreFactory = std::function<std::unique_ptr<StoreUnderTest>()>;

void stores() {
    QTest::addColumn<StoreFactory>("make");
    QTest::newRow("fake") << StoreFactory([] { return std::make_unique<FakeUnderTest>(); });
    QTest::newRow("sqlite") << StoreFactory([] { return std::make_unique<SqliteUnderTest>(); });
    QTest::newRow("postgres") << StoreFactory([] { return std::make_unique<PostgresUnderTest>(); });
}

Session sampleSession(const std::string& id, const std::string& user = "alice",
                      std::int64_t size = 1000, std::int64_t expiresAt = 2000000000) {
    Session s;
    s.id = id;
    s.userId = user;
    s.fileName = id + ".bin";
    s.size = size;
    s.chunkSize = 100;
    s.createdAt = 1700000000;
    s.expiresAt = expiresAt;
    s.staging = StagingRef{"staging/" + id, "upload-" + id};
    s.hashState = "state";
    return s;
}

Session advanced(Session s, std::int64_t by) {
    s.uploadedBytes += by;
    s.hashState = "state after " + std::to_string(s.uploadedBytes);
    return s;
}

struct RaceOutcome {
    int wins = 0;
    int conflicts = 0;
};

// `writers` calls of write(i), let go at once (several nodes): how many succeeded and
// how many were refused as conflicts.
template <typename Write> RaceOutcome race(int writers, const Write& write) {
    std::atomic<int> wins{0};
    std::atomic<int> conflicts{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < writers; ++i)
        threads.emplace_back([&, i] {
            while (!go)
                std::this_thread::yield();
            const auto result = write(i);
            if (result)
                ++wins;
            else if (result.error().kind == StoreError::Kind::Conflict)
                ++conflicts;
        });
    go = true;
    for (auto& thread : threads)
        thread.join();
    return RaceOutcome{wins.load(), conflicts.load()};
}

std::vector<std::string> idsOf(const std::vector<Session>& sessions) {
    std::vector<std::string> ids;
    for (const Session& s : sessions)
        ids.push_back(s.id);
    return ids;
}
} // namespace

Q_DECLARE_METATYPE(StoreFactory)

class TestSessionStoreContract final : public QObject {
    Q_OBJECT

  private slots:
    void createFindAndDuplicate_data() { stores(); }
    void createFindAndDuplicate();
    void commitIsACompareAndSwap_data() { stores(); }
    void commitIsACompareAndSwap();
    void tailsAreCommittedLikeChunks_data() { stores(); }
    void tailsAreCommittedLikeChunks();
    void concatenationFieldsAreKept_data() { stores(); }
    void concatenationFieldsAreKept();
    void declaringTheLengthIsACompareAndSwap_data() { stores(); }
    void declaringTheLengthIsACompareAndSwap();
    void racingDeclarationsHaveOneWinner_data() { stores(); }
    void racingDeclarationsHaveOneWinner();
    void racingCommitsHaveOneWinner_data() { stores(); }
    void racingCommitsHaveOneWinner();
    void commitOnAMissingSessionIsNotFound_data() { stores(); }
    void commitOnAMissingSessionIsNotFound();
    void updateNeverMovesTheOffset_data() { stores(); }
    void updateNeverMovesTheOffset();
    void expiredSessionsComeInPages_data() { stores(); }
    void expiredSessionsComeInPages();
    void countsForTheLimits_data() { stores(); }
    void countsForTheLimits();
    void stagingOwnership_data() { stores(); }
    void stagingOwnership();
    void windowChunksMoveTheContiguousPrefix_data() { stores(); }
    void windowChunksMoveTheContiguousPrefix();
    void racingWindowChunksHaveOneWinnerEach_data() { stores(); }
    void racingWindowChunksHaveOneWinnerEach();
    void hashAdvancesByCompareAndSwap_data() { stores(); }
    void hashAdvancesByCompareAndSwap();
};

void TestSessionStoreContract::createFindAndDuplicate() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    QVERIFY(store.create(sampleSession("s1")));
    const auto found = store.find("s1");
    QVERIFY(found && found->has_value());
    QCOMPARE((*found)->fileName, "s1.bin");
    QVERIFY(!store.find("missing").value().has_value()); // not an error
    const auto duplicate = store.create(sampleSession("s1"));
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().kind, StoreError::Kind::Conflict);
}

void TestSessionStoreContract::commitIsACompareAndSwap() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    const Session s = sampleSession("s1");
    QVERIFY(store.create(s));
    QVERIFY(store.commitChunk(advanced(s, 100), 0, ChunkReceipt{0, "etag-0"}));
    // The same offset again (another node that lost its lock): refused, nothing moves.
    const auto lost = store.commitChunk(advanced(s, 100), 0, ChunkReceipt{0, "etag-0b"});
    QVERIFY(!lost);
    QCOMPARE(lost.error().kind, StoreError::Kind::Conflict);
    const auto receipts = store.receipts("s1").value();
    QCOMPARE(receipts.size(), std::size_t(1));
    QCOMPARE(receipts[0].etag, "etag-0");
    QCOMPARE(store.find("s1").value()->uploadedBytes, std::int64_t{100});
    QVERIFY(store.commitChunk(advanced(s, 200), 100, ChunkReceipt{1, "etag-1"}));
    QCOMPARE(store.find("s1").value()->uploadedBytes, std::int64_t{200});
    QCOMPARE(store.find("s1").value()->hashState, "state after 200");
    QVERIFY(store.remove("s1"));
    QVERIFY(store.receipts("s1").value().empty());
}

void TestSessionStoreContract::tailsAreCommittedLikeChunks() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    const Session s = sampleSession("s1");
    QVERIFY(store.create(s));
    QCOMPARE(store.find("s1").value()->tailKey, std::string());
    Session tail = advanced(s, 40);
    tail.tailKey = "tail-a";
    QVERIFY(store.commitTail(tail, 0));
    // A tail moves the offset by compare-and-swap too, and leaves no receipt.
    const auto lost = store.commitTail(tail, 0);
    QVERIFY(!lost);
    QCOMPARE(lost.error().kind, StoreError::Kind::Conflict);
    Session found = store.find("s1").value().value();
    QCOMPARE(found.uploadedBytes, std::int64_t{40});
    QCOMPARE(found.tailKey, "tail-a");
    QCOMPARE(found.hashState, "state after 40");
    QVERIFY(store.receipts("s1").value().empty());
    // A whole chunk after it records its receipt and clears the tail.
    QVERIFY(store.commitChunk(advanced(s, 100), 40, ChunkReceipt{0, "etag-0"}));
    found = store.find("s1").value().value();
    QCOMPARE(found.uploadedBytes, std::int64_t{100});
    QCOMPARE(found.tailKey, std::string());
    QCOMPARE(store.receipts("s1").value().size(), std::size_t(1));
    const auto missing = store.commitTail(advanced(sampleSession("gone"), 10), 0);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, StoreError::Kind::NotFound);
}

// tus concatenation: a partial upload stays partial, and a final one names its partials,
// through every write (docs/protocol.md, "tus 1.0.0 in hoistd").
void TestSessionStoreContract::concatenationFieldsAreKept() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    Session partial = sampleSession("p1");
    partial.partial = true;
    Session final = sampleSession("f1");
    final.concatenatedFrom = "p1 p2";
    QVERIFY(store.create(partial));
    QVERIFY(store.create(final));
    QVERIFY(store.create(sampleSession("plain")));
    QVERIFY(store.commitChunk(advanced(partial, 100), 0, ChunkReceipt{0, "etag-0"}));
    partial.state = SessionState::Completed;
    QVERIFY(store.update(partial));
    const Session foundPartial = store.find("p1").value().value();
    QVERIFY(foundPartial.partial);
    QCOMPARE(foundPartial.state, SessionState::Completed);
    QCOMPARE(foundPartial.concatenatedFrom, std::string());
    const Session foundFinal = store.find("f1").value().value();
    QVERIFY(!foundFinal.partial);
    QCOMPARE(foundFinal.concatenatedFrom, "p1 p2");
    const Session plain = store.find("plain").value().value();
    QVERIFY(!plain.partial);
    QCOMPARE(plain.concatenatedFrom, std::string());
}

namespace {
// A tus upload created with Upload-Defer-Length: 1, bounded by a server maximum of 5000.
Session deferredSession(const std::string& id, const std::string& user = "alice") {
    Session s = sampleSession(id, user, 5000);
    s.lengthDeferred = true;
    return s;
}
} // namespace

// tus creation-defer-length: the length is declared once, while no more bytes than it
// are committed; the flag survives every other write.
void TestSessionStoreContract::declaringTheLengthIsACompareAndSwap() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    const Session s = deferredSession("d1");
    QVERIFY(store.create(s));
    QVERIFY(store.create(sampleSession("known")));
    QVERIFY(store.find("d1").value()->lengthDeferred);
    QVERIFY(!store.find("known").value()->lengthDeferred);
    Session tail = advanced(s, 250);
    tail.tailKey = "tail-a";
    QVERIFY(store.commitTail(tail, 0));
    Session failed = s;
    failed.state = SessionState::Failed;
    QVERIFY(store.update(failed));
    failed.state = SessionState::Uploading;
    QVERIFY(store.update(failed));
    QVERIFY(store.find("d1").value()->lengthDeferred);
    // Fewer bytes than are committed: refused, nothing changes.
    const auto below = store.declareSize("d1", 249);
    QVERIFY(!below);
    QCOMPARE(below.error().kind, StoreError::Kind::Conflict);
    QCOMPARE(store.find("d1").value()->size, std::int64_t{5000});
    QVERIFY(store.declareSize("d1", 250));
    Session found = store.find("d1").value().value();
    QVERIFY(!found.lengthDeferred);
    QCOMPARE(found.size, std::int64_t{250});
    QCOMPARE(found.uploadedBytes, std::int64_t{250});
    QCOMPARE(found.tailKey, "tail-a");
    // Once declared, never again: not even the same length (the face answers that one
    // from the session it read).
    for (const std::int64_t again : {std::int64_t{250}, std::int64_t{300}}) {
        const auto twice = store.declareSize("d1", again);
        QVERIFY(!twice);
        QCOMPARE(twice.error().kind, StoreError::Kind::Conflict);
    }
    const auto known = store.declareSize("known", 1000);
    QVERIFY(!known);
    QCOMPARE(known.error().kind, StoreError::Kind::Conflict);
    QCOMPARE(store.find("d1").value()->size, std::int64_t{250});
    const auto missing = store.declareSize("gone", 10);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, StoreError::Kind::NotFound);
}

void TestSessionStoreContract::racingDeclarationsHaveOneWinner() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    QVERIFY(store.create(deferredSession("d1")));
    constexpr int kThreads = 6;
    const RaceOutcome outcome =
        race(kThreads, [&](int i) { return store.declareSize("d1", 1000 + i); });
    QCOMPARE(outcome.wins, 1);
    QCOMPARE(outcome.conflicts, kThreads - 1);
    const Session found = store.find("d1").value().value();
    QVERIFY(!found.lengthDeferred);
    QVERIFY(found.size >= 1000 && found.size < 1000 + kThreads);
}

void TestSessionStoreContract::racingCommitsHaveOneWinner() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    const Session s = sampleSession("s1");
    QVERIFY(store.create(s));
    constexpr int kThreads = 6;
    const RaceOutcome outcome = race(kThreads, [&](int i) {
        return store.commitChunk(advanced(s, 100), 0, ChunkReceipt{0, "etag-" + std::to_string(i)});
    });
    QCOMPARE(outcome.wins, 1);
    QCOMPARE(outcome.conflicts, kThreads - 1);
    QCOMPARE(store.find("s1").value()->uploadedBytes, std::int64_t{100});
}

void TestSessionStoreContract::commitOnAMissingSessionIsNotFound() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    const auto missing = under->store().commitChunk(advanced(sampleSession("gone"), 100), 0, {});
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, StoreError::Kind::NotFound);
}

void TestSessionStoreContract::updateNeverMovesTheOffset() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    Session s = sampleSession("s1");
    QVERIFY(store.create(s));
    s.uploadedBytes = 500;
    s.state = SessionState::Failed;
    s.failureReason = "lost";
    QVERIFY(store.update(s));
    const Session stored = store.find("s1").value().value();
    QCOMPARE(stored.uploadedBytes, std::int64_t{0});
    QCOMPARE(stored.state, SessionState::Failed);
    QCOMPARE(stored.failureReason, "lost");
}

void TestSessionStoreContract::expiredSessionsComeInPages() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    // Equal expiries on purpose: the cursor must order by id within one second.
    const std::vector<std::pair<std::string, std::int64_t>> rows{
        {"e", 100}, {"a", 100}, {"c", 200}, {"b", 200}, {"d", 300}, {"late", 900}};
    for (const auto& [id, expiry] : rows)
        QVERIFY(store.create(sampleSession(id, "alice", 1000, expiry)));
    std::vector<std::string> seen;
    std::optional<ExpiryCursor> after;
    int pages = 0;
    for (;;) {
        const auto page = store.expiredBy(300, 2, after).value();
        QVERIFY(page.size() <= 2);
        for (const Session& s : page)
            seen.push_back(s.id);
        ++pages;
        if (page.size() < 2)
            break;
        after = ExpiryCursor{page.back().expiresAt, page.back().id};
    }
    QCOMPARE(seen, (std::vector<std::string>{"a", "e", "b", "c", "d"}));
    QCOMPARE(pages, 3);
    QCOMPARE(idsOf(store.expiredBy(99, 10, std::nullopt).value()), std::vector<std::string>{});
}

void TestSessionStoreContract::countsForTheLimits() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    QVERIFY(store.create(sampleSession("u1", "alice", 100)));
    QVERIFY(store.create(sampleSession("u2", "alice", 200)));
    Session finalizing = sampleSession("f1", "alice", 400);
    Session completed = sampleSession("c1", "alice", 800);
    Session failed = sampleSession("x1", "alice", 1600);
    for (Session* s : {&finalizing, &completed, &failed})
        QVERIFY(store.create(*s));
    finalizing.state = SessionState::Finalizing;
    completed.state = SessionState::Completed;
    failed.state = SessionState::Failed;
    for (Session* s : {&finalizing, &completed, &failed})
        QVERIFY(store.update(*s));
    QVERIFY(store.create(sampleSession("b1", "bob", 5)));
    // A session whose length is deferred counts the bytes it has, not its bound.
    Session deferred = deferredSession("d1", "bob");
    QVERIFY(store.create(deferred));
    QVERIFY(store.commitTail(advanced(deferred, 30), 0));

    const OpenSessionUsage alice = store.openUsageOf("alice").value();
    QCOMPARE(alice.sessions, std::int64_t{3});
    QCOMPARE(alice.declaredBytes, std::int64_t{700});
    const OpenSessionUsage bob = store.openUsageOf("bob").value();
    QCOMPARE(bob.sessions, std::int64_t{2});
    QCOMPARE(bob.declaredBytes, std::int64_t{35});
    QVERIFY(store.declareSize("d1", 40));
    QCOMPARE(store.openUsageOf("bob").value().declaredBytes, std::int64_t{45});
    QCOMPARE(store.openUsageOf("carol").value().sessions, std::int64_t{0});
    QCOMPARE(store.countByState().value(),
             (std::map<SessionState, std::int64_t>{{SessionState::Uploading, 4},
                                                   {SessionState::Finalizing, 1},
                                                   {SessionState::Completed, 1},
                                                   {SessionState::Failed, 1}}));
    QCOMPARE(idsOf(store.inState(SessionState::Finalizing).value()),
             std::vector<std::string>{"f1"});
}

void TestSessionStoreContract::stagingOwnership() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    const Session s = sampleSession("s1");
    QVERIFY(store.create(s));
    QCOMPARE(store.ownsStaging(s.staging).value(), true);
    QCOMPARE(store.ownsStaging(StagingRef{s.staging.key, "another-upload"}).value(), false);
    QCOMPARE(store.ownsStaging(StagingRef{"staging/orphan", ""}).value(), false);
}

QTEST_GUILESS_MAIN(TestSessionStoreContract)

namespace {
WindowChunk windowChunk(const std::string& id, std::int64_t index, std::string etag = {}) {
    WindowChunk chunk;
    chunk.sessionId = id;
    chunk.receipt = ChunkReceipt{index, std::move(etag)};
    chunk.expiresAt = 2000000100;
    return chunk;
}
} // namespace

// Windowed sessions (docs/protocol.md, "Parallel chunks"): a chunk beyond the prefix
// is stored without moving it; the chunk that closes the gap moves it over every stored
// one; a chunk stored twice is a conflict that changes nothing.
void TestSessionStoreContract::windowChunksMoveTheContiguousPrefix() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    Session s = sampleSession("w1", "alice", 450); // chunks 0-3 of 100, chunk 4 of 50
    s.parallelChunks = 4;
    QVERIFY(store.create(s));
    QCOMPARE(store.find("w1").value()->parallelChunks, std::int64_t{4});

    auto third = store.storeWindowChunk(windowChunk("w1", 2));
    QVERIFY(third);
    QCOMPARE(third->uploadedBytes, std::int64_t{0});
    QCOMPARE(third->storedChunks, std::vector<std::int64_t>({2}));
    auto last = store.storeWindowChunk(windowChunk("w1", 4, "etag-4"));
    QVERIFY(last);
    QCOMPARE(last->storedChunks, std::vector<std::int64_t>({2, 4}));

    const auto again = store.storeWindowChunk(windowChunk("w1", 2));
    QVERIFY(!again);
    QCOMPARE(again.error().kind, StoreError::Kind::Conflict);

    WindowChunk first = windowChunk("w1", 0, "etag-0");
    first.head = "head bytes";
    first.hashedFrom = 0;
    first.hashedTo = 100;
    first.hashState = "state over 100";
    auto closed = store.storeWindowChunk(first);
    QVERIFY(closed);
    QCOMPARE(closed->uploadedBytes, std::int64_t{100});
    QCOMPARE(closed->hashedBytes, std::int64_t{100});
    auto second = store.storeWindowChunk(windowChunk("w1", 1));
    QVERIFY(second);
    QCOMPARE(second->uploadedBytes, std::int64_t{300});
    QCOMPARE(second->storedChunks, std::vector<std::int64_t>({4}));
    QCOMPARE(second->hashedBytes, std::int64_t{100});
    QVERIFY(store.storeWindowChunk(windowChunk("w1", 3)));

    const Session stored = *store.find("w1").value();
    QCOMPARE(stored.uploadedBytes, std::int64_t{450});
    QCOMPARE(stored.hashedBytes, std::int64_t{100});
    QCOMPARE(stored.hashState, std::string("state over 100"));
    QCOMPARE(stored.head, std::string("head bytes"));
    QCOMPARE(stored.expiresAt, std::int64_t{2000000100});
    const auto receipts = store.receipts("w1").value();
    QCOMPARE(receipts.size(), std::size_t{5});
    QCOMPARE(receipts[4].etag, std::string("etag-4"));

    const auto gone = store.storeWindowChunk(windowChunk("nobody", 0));
    QVERIFY(!gone);
    QCOMPARE(gone.error().kind, StoreError::Kind::NotFound);
}

// Many writers of neighbouring chunks at once (several nodes): every chunk is stored
// exactly once and the prefix ends at the end of the file, whatever the interleaving.
void TestSessionStoreContract::racingWindowChunksHaveOneWinnerEach() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    Session s = sampleSession("w2", "alice", 800);
    s.parallelChunks = 8;
    QVERIFY(store.create(s));
    constexpr int kChunks = 8;
    constexpr int kWritersPerChunk = 2;
    const RaceOutcome outcome = race(kChunks * kWritersPerChunk, [&](int i) {
        return store.storeWindowChunk(windowChunk("w2", (kChunks - 1) - i / 2));
    });
    QCOMPARE(outcome.wins, kChunks);
    QCOMPARE(outcome.conflicts, kChunks * (kWritersPerChunk - 1));
    QCOMPARE(store.find("w2").value()->uploadedBytes, std::int64_t{800});
}

void TestSessionStoreContract::hashAdvancesByCompareAndSwap() {
    QFETCH(StoreFactory, make);
    const auto under = make();
    SessionStore& store = under->store();
    Session s = sampleSession("w3", "alice", 300);
    s.parallelChunks = 2;
    QVERIFY(store.create(s));
    QVERIFY(store.advanceHash("w3", 0, 200, "state over 200"));
    const auto stale = store.advanceHash("w3", 0, 100, "stale");
    QVERIFY(!stale);
    QCOMPARE(stale.error().kind, StoreError::Kind::Conflict);
    const Session stored = *store.find("w3").value();
    QCOMPARE(stored.hashedBytes, std::int64_t{200});
    QCOMPARE(stored.hashState, std::string("state over 200"));
    QCOMPARE(stored.uploadedBytes, std::int64_t{0});
    QVERIFY(!store.advanceHash("nobody", 0, 100, "x"));
}

#include "tst_session_store_contract.moc"
