#include "state_presentation.h"

#include <QCoreApplication>

#include <array>

namespace hoist {

namespace {

struct Look {
    JobState state;
    const char* label; // translated in the "JobState" context
    const char* icon;  // :/icons/ui/state-<icon>.svg
};

constexpr std::array<Look, 10> kLooks{{
    {JobState::Queued, QT_TRANSLATE_NOOP("JobState", "Queued"), "queued"},
    {JobState::Hashing, QT_TRANSLATE_NOOP("JobState", "Hashing"), "hashing"},
    {JobState::Checking, QT_TRANSLATE_NOOP("JobState", "Checking"), "checking"},
    {JobState::Uploading, QT_TRANSLATE_NOOP("JobState", "Uploading"), "uploading"},
    {JobState::Finalizing, QT_TRANSLATE_NOOP("JobState", "Finalizing"), "finalizing"},
    {JobState::Waiting, QT_TRANSLATE_NOOP("JobState", "Waiting for server"), "waiting"},
    {JobState::Done, QT_TRANSLATE_NOOP("JobState", "Done"), "done"},
    {JobState::DoneDuplicate, QT_TRANSLATE_NOOP("JobState", "Already on server"), "duplicate"},
    {JobState::Paused, QT_TRANSLATE_NOOP("JobState", "Paused"), "paused"},
    {JobState::Failed, QT_TRANSLATE_NOOP("JobState", "Failed"), "failed"},
}};

const Look* lookOf(JobState state) {
    for (const Look& look : kLooks) {
        if (look.state == state)
            return &look;
    }
    return nullptr;
}

} // namespace

QString stateLabel(JobState state) {
    const Look* look = lookOf(state);
    return look ? QCoreApplication::translate("JobState", look->label) : QString();
}

QIcon stateIcon(JobState state) {
    const Look* look = lookOf(state);
    return look ? QIcon(QStringLiteral(":/icons/ui/state-%1.svg").arg(QLatin1String(look->icon)))
                : QIcon();
}

} // namespace hoist
