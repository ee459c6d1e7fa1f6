// The ShareLinkStore contract (share_link_store.h), run against every implementation:
// the in-memory fake, SQLite and PostgreSQL. Links are per user (docs/protocol.md, "Share links":
// foreign links are never listed or revoked) and an expired link is gone at once, swept
// or not. A new store gets every check by one line in implementations().
#include "fake_share_link_store.h"
#include "implementation_rows.h"
#include "postgres_share_link_store.h"
#include "sqlite_share_link_store.h"
#include "temporary_postgres.h"
#include "temporary_store.h"

#include <QTest>

using namespace hoist;
using hoist::test::Implementation;

namespace {

class StoreUnderTest {
  public:
    virtual ~StoreUnderTest() = default;
    virtual ShareLinkStore& store() = 0;
    // Closes and opens the store again where it persists (a restarted hoistd).
    virtual void reopen() {}
};

using Made = tl::expected<std::unique_ptr<StoreUnderTest>, QString>;

class FakeUnderTest final : public StoreUnderTest {
  public:
    ShareLinkStore& store() override { return m_store; }

  private:
    hoist::test::FakeShareLinkStore m_store;
};

class SqliteUnderTest final : public StoreUnderTest {
  public:
    ShareLinkStore& store() override { return m_db.store(); }
    void reopen() override { m_db.reopen(); }

  private:
    hoist::test::TemporaryStore<SqliteShareLinkStore> m_db;
};

class PostgresUnderTest final : public StoreUnderTest {
  public:
    ShareLinkStore& store() override { return m_db.store(); }

  private:
    hoist::test::TemporaryPostgresStore<PostgresShareLinkStore> m_db;
};

constexpr std::int64_t kNow = 1'800'000'000;

ShareLinkRecord link(const std::string& linkId, const std::string& userId,
                     const std::string& fileId, std::int64_t createdAt = kNow,
                     std::int64_t expiresAt = kNow + 3600) {
    ShareLinkRecord r;
    r.linkId = linkId;
    r.tokenHash = "hash-of-" + linkId;
    r.userId = userId;
    r.fileId = fileId;
    r.createdAt = createdAt;
    r.expiresAt = expiresAt;
    return r;
}

std::vector<std::string> idsOf(const StoreResult<std::vector<ShareLinkRecord>>& links) {
    std::vector<std::string> ids;
    for (const ShareLinkRecord& r : links.value())
        ids.push_back(r.linkId);
    return ids;
}

std::string foundId(const StoreResult<std::optional<ShareLinkRecord>>& found) {
    return found.value() ? found.value()->linkId : std::string();
}

} // namespace

class TestShareLinkStoreContract final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase_data();
    void init();
    void cleanup() { m_underTest.reset(); }
    void addAndFindKeepEveryField();
    void duplicateIdOrTokenIsAConflict();
    void expiredLinksAreGoneBeforeAnySweep();
    void listIsPerFileAndOrderedByCreation();
    void usersNeverSeeOrRevokeEachOthersLinks();
    void revokedLinkIsGoneForGood();
    void sweepRemovesOnlyExpiredLinks();

  private:
    static std::vector<Implementation<StoreUnderTest>> implementations();
    ShareLinkStore& store() { return m_underTest->store(); }

    std::unique_ptr<StoreUnderTest> m_underTest;
};

std::vector<Implementation<StoreUnderTest>> TestShareLinkStoreContract::implementations() {
    return {
        {"fake", [] { return Made(std::make_unique<FakeUnderTest>()); }},
        {"sqlite", [] { return Made(std::make_unique<SqliteUnderTest>()); }},
        {"postgres", [] { return Made(std::make_unique<PostgresUnderTest>()); }},
    };
}

void TestShareLinkStoreContract::initTestCase_data() {
    hoist::test::addImplementationRows(implementations());
}

void TestShareLinkStoreContract::init() {
    hoist::test::makeCurrentImplementation(implementations(), m_underTest);
}

void TestShareLinkStoreContract::addAndFindKeepEveryField() {
    const ShareLinkRecord added = link("l1", "alice", "f1", kNow - 5, kNow + 60);
    QVERIFY(store().add(added).has_value());
    m_underTest->reopen();
    const ShareLinkRecord found = store().findLive("hash-of-l1", kNow).value().value();
    QCOMPARE(found.linkId, added.linkId);
    QCOMPARE(found.tokenHash, added.tokenHash);
    QCOMPARE(found.userId, added.userId);
    QCOMPARE(found.fileId, added.fileId);
    QCOMPARE(found.createdAt, added.createdAt);
    QCOMPARE(found.expiresAt, added.expiresAt);
    QCOMPARE(foundId(store().findLive("hash-of-l2", kNow)), "");
}

void TestShareLinkStoreContract::duplicateIdOrTokenIsAConflict() {
    QVERIFY(store().add(link("l1", "alice", "f1")).has_value());
    ShareLinkRecord sameId = link("l1", "bob", "f2");
    sameId.tokenHash = "another";
    const auto idClash = store().add(sameId);
    QVERIFY(!idClash.has_value());
    QCOMPARE(idClash.error().kind, StoreError::Kind::Conflict);
    ShareLinkRecord sameToken = link("l2", "bob", "f2");
    sameToken.tokenHash = "hash-of-l1";
    const auto tokenClash = store().add(sameToken);
    QVERIFY(!tokenClash.has_value());
    QCOMPARE(tokenClash.error().kind, StoreError::Kind::Conflict);
    QCOMPARE(foundId(store().findLive("hash-of-l1", kNow)), "l1");
    QCOMPARE(store().findLive("hash-of-l1", kNow).value()->userId, std::string("alice"));
}

void TestShareLinkStoreContract::expiredLinksAreGoneBeforeAnySweep() {
    QVERIFY(store().add(link("l1", "alice", "f1", kNow - 100, kNow)).has_value());
    QCOMPARE(foundId(store().findLive("hash-of-l1", kNow - 1)), "l1");
    // Live while now < expiresAt: the second it expires, it is gone.
    QCOMPARE(foundId(store().findLive("hash-of-l1", kNow)), "");
    QVERIFY(store().listLive("alice", "f1", kNow).value().empty());
    QCOMPARE(store().removeLive("alice", "f1", "l1", kNow).value(), false);
    QCOMPARE(idsOf(store().listLive("alice", "f1", kNow - 1)), std::vector<std::string>{"l1"});
}

void TestShareLinkStoreContract::listIsPerFileAndOrderedByCreation() {
    QVERIFY(store().add(link("late", "alice", "f1", kNow + 3)).has_value());
    QVERIFY(store().add(link("early", "alice", "f1", kNow + 1)).has_value());
    QVERIFY(store().add(link("b-same", "alice", "f1", kNow + 2)).has_value());
    QVERIFY(store().add(link("a-same", "alice", "f1", kNow + 2)).has_value());
    QVERIFY(store().add(link("other-file", "alice", "f2", kNow)).has_value());
    QCOMPARE(idsOf(store().listLive("alice", "f1", kNow)),
             (std::vector<std::string>{"early", "a-same", "b-same", "late"}));
    QCOMPARE(idsOf(store().listLive("alice", "f2", kNow)), std::vector<std::string>{"other-file"});
    QVERIFY(store().listLive("alice", "f3", kNow).value().empty());
}

void TestShareLinkStoreContract::usersNeverSeeOrRevokeEachOthersLinks() {
    QVERIFY(store().add(link("alices", "alice", "f1")).has_value());
    QVERIFY(store().listLive("bob", "f1", kNow).value().empty());
    QCOMPARE(store().removeLive("bob", "f1", "alices", kNow).value(), false);
    // A link id under another of the user's files is not that file's link either.
    QCOMPARE(store().removeLive("alice", "f2", "alices", kNow).value(), false);
    QCOMPARE(idsOf(store().listLive("alice", "f1", kNow)), std::vector<std::string>{"alices"});
}

void TestShareLinkStoreContract::revokedLinkIsGoneForGood() {
    QVERIFY(store().add(link("l1", "alice", "f1")).has_value());
    QVERIFY(store().add(link("l2", "alice", "f1")).has_value());
    QCOMPARE(store().removeLive("alice", "f1", "l1", kNow).value(), true);
    QCOMPARE(store().removeLive("alice", "f1", "l1", kNow).value(), false);
    m_underTest->reopen();
    QCOMPARE(foundId(store().findLive("hash-of-l1", kNow)), "");
    QCOMPARE(idsOf(store().listLive("alice", "f1", kNow)), std::vector<std::string>{"l2"});
}

void TestShareLinkStoreContract::sweepRemovesOnlyExpiredLinks() {
    QVERIFY(store().add(link("old", "alice", "f1", kNow - 10, kNow - 1)).has_value());
    QVERIFY(store().add(link("edge", "bob", "f2", kNow - 10, kNow)).has_value());
    QVERIFY(store().add(link("live", "alice", "f1", kNow - 10, kNow + 1)).has_value());
    QCOMPARE(store().removeExpired(kNow).value(), std::size_t{2});
    QCOMPARE(store().removeExpired(kNow).value(), std::size_t{0});
    QCOMPARE(idsOf(store().listLive("alice", "f1", kNow - 100)), std::vector<std::string>{"live"});
    QVERIFY(store().listLive("bob", "f2", kNow - 100).value().empty());
}

QTEST_GUILESS_MAIN(TestShareLinkStoreContract)
#include "tst_share_link_store_contract.moc"
