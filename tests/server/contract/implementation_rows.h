#pragma once

#include <QString>
#include <QTest>

#include <tl/expected.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace hoist::test {

// One implementation of a seam, as a contract suite runs it: a name for the row and a
// factory of a fresh fixture on a store of its own. The factory's error says why the
// implementation cannot run on this machine (moto_server missing, ...): its rows skip,
// loudly, rather than pass.
template <typename Fixture> struct Implementation {
    const char* name;
    std::function<tl::expected<std::unique_ptr<Fixture>, QString>()> make;
};

// The global data of a contract suite (initTestCase_data): every test function runs
// once per implementation, so a new implementation gets every check from one line in
// the suite's list.
template <typename Fixture>
void addImplementationRows(const std::vector<Implementation<Fixture>>& implementations) {
    QTest::addColumn<int>("implementation");
    for (std::size_t i = 0; i < implementations.size(); ++i)
        QTest::newRow(implementations[i].name) << static_cast<int>(i);
}

// In init(): `fixture` becomes a fresh one of the current row's implementation, or
// the test function skips with the reason it cannot run here.
template <typename Fixture>
void makeCurrentImplementation(const std::vector<Implementation<Fixture>>& implementations,
                               std::unique_ptr<Fixture>& fixture) {
    QFETCH_GLOBAL(int, implementation);
    auto made = implementations.at(static_cast<std::size_t>(implementation)).make();
    if (made)
        fixture = std::move(*made);
    else
        QTest::qSkip(qPrintable(made.error()), __FILE__, __LINE__);
}

} // namespace hoist::test
