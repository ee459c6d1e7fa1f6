#include "state_presentation.h"

#include <QCoreApplication>

namespace hoist {

QString stateLabel(JobState state) {
    switch (state) {
    case JobState::Queued:
        return QCoreApplication::translate("JobState", "Queued");
    case JobState::Hashing:
        return QCoreApplication::translate("JobState", "Hashing");
    case JobState::Checking:
        return QCoreApplication::translate("JobState", "Checking");
    case JobState::Uploading:
        return QCoreApplication::translate("JobState", "Uploading");
    case JobState::Finalizing:
        return QCoreApplication::translate("JobState", "Finalizing");
    case JobState::Done:
        return QCoreApplication::translate("JobState", "Done");
    case JobState::DoneDuplicate:
        return QCoreApplication::translate("JobState", "Already on server");
    case JobState::Paused:
        return QCoreApplication::translate("JobState", "Paused");
    case JobState::Failed:
        return QCoreApplication::translate("JobState", "Failed");
    }
    return {};
}

QIcon stateIcon(JobState state) {
    const auto icon = [](const char* name) {
        return QIcon(QStringLiteral(":/icons/ui/state-%1.svg").arg(QLatin1String(name)));
    };
    switch (state) {
    case JobState::Queued:
        return icon("queued");
    case JobState::Hashing:
        return icon("hashing");
    case JobState::Checking:
        return icon("checking");
    case JobState::Uploading:
        return icon("uploading");
    case JobState::Finalizing:
        return icon("finalizing");
    case JobState::Done:
        return icon("done");
    case JobState::DoneDuplicate:
        return icon("duplicate");
    case JobState::Paused:
        return icon("paused");
    case JobState::Failed:
        return icon("failed");
    }
    return {};
}

} // namespace hoist
