//! Automation: playbooks and their content versions, the durable job queue, per-task events of
//! playbook runs, run artifacts and schedules. Runs gain the playbook they ran and its exit code;
//! run hosts gain Ansible's per-host stats.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Playbooks {
    Table,
    Id,
    Name,
    Description,
    Source,
    CurrentVersion,
    Defaults,
    AllowParallel,
    RetryInfrastructure,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlaybookVersions {
    Table,
    PlaybookId,
    Version,
    Content,
    Files,
    CreatedByName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    RunId,
    Queue,
    Status,
    AvailableAt,
    Attempts,
    MaxAttempts,
    LeaseOwner,
    LeaseExpiresAt,
    CancelRequested,
    LastError,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RunEvents {
    Table,
    RunId,
    Seq,
    Event,
    Host,
    Play,
    Task,
    Data,
    At,
}

#[derive(DeriveIden)]
enum RunArtifacts {
    Table,
    RunId,
    Name,
    Size,
    Content,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Schedules {
    Table,
    Id,
    PlaybookId,
    Name,
    Cron,
    IntervalSeconds,
    Timezone,
    Enabled,
    EndsAt,
    Overrides,
    Overlap,
    Missed,
    NextFireAt,
    LastFiredAt,
    LastRunId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Runs {
    Table,
    Id,
    PlaybookId,
    PlaybookVersion,
    ExitCode,
}

#[derive(DeriveIden)]
enum RunHosts {
    Table,
    Stats,
}

fn ts(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).timestamp_with_time_zone().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Playbooks::Table)
                .col(
                    ColumnDef::new(Playbooks::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Playbooks::Name)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Playbooks::Description).text().not_null())
                .col(ColumnDef::new(Playbooks::Source).json().not_null())
                .col(
                    ColumnDef::new(Playbooks::CurrentVersion)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Playbooks::Defaults).json().not_null())
                .col(
                    ColumnDef::new(Playbooks::AllowParallel)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Playbooks::RetryInfrastructure)
                        .boolean()
                        .not_null(),
                )
                .col(ColumnDef::new(Playbooks::CreatedBy).uuid().null())
                .col(ts(Playbooks::CreatedAt).not_null())
                .col(ts(Playbooks::UpdatedAt).not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlaybookVersions::Table)
                .col(
                    ColumnDef::new(PlaybookVersions::PlaybookId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PlaybookVersions::Version)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(PlaybookVersions::Content).text().not_null())
                .col(ColumnDef::new(PlaybookVersions::Files).json().not_null())
                .col(
                    ColumnDef::new(PlaybookVersions::CreatedByName)
                        .string()
                        .not_null(),
                )
                .col(ts(PlaybookVersions::CreatedAt).not_null())
                .primary_key(
                    Index::create()
                        .col(PlaybookVersions::PlaybookId)
                        .col(PlaybookVersions::Version),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PlaybookVersions::Table, PlaybookVersions::PlaybookId)
                        .to(Playbooks::Table, Playbooks::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(ColumnDef::new(Jobs::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Jobs::RunId).uuid().not_null().unique_key())
                .col(ColumnDef::new(Jobs::Queue).string_len(32).not_null())
                .col(ColumnDef::new(Jobs::Status).string_len(16).not_null())
                .col(ts(Jobs::AvailableAt).not_null())
                .col(ColumnDef::new(Jobs::Attempts).integer().not_null())
                .col(ColumnDef::new(Jobs::MaxAttempts).integer().not_null())
                .col(ColumnDef::new(Jobs::LeaseOwner).string().null())
                .col(ts(Jobs::LeaseExpiresAt).null())
                .col(ColumnDef::new(Jobs::CancelRequested).boolean().not_null())
                .col(ColumnDef::new(Jobs::LastError).text().null())
                .col(ColumnDef::new(Jobs::Payload).json().null())
                .col(ts(Jobs::CreatedAt).not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_jobs_claim")
                .table(Jobs::Table)
                .col(Jobs::Status)
                .col(Jobs::AvailableAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RunEvents::Table)
                .col(ColumnDef::new(RunEvents::RunId).uuid().not_null())
                .col(ColumnDef::new(RunEvents::Seq).big_integer().not_null())
                .col(ColumnDef::new(RunEvents::Event).string_len(48).not_null())
                .col(ColumnDef::new(RunEvents::Host).string().null())
                .col(ColumnDef::new(RunEvents::Play).text().null())
                .col(ColumnDef::new(RunEvents::Task).text().null())
                .col(ColumnDef::new(RunEvents::Data).json().not_null())
                .col(ts(RunEvents::At).not_null())
                .primary_key(Index::create().col(RunEvents::RunId).col(RunEvents::Seq))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RunArtifacts::Table)
                .col(ColumnDef::new(RunArtifacts::RunId).uuid().not_null())
                .col(ColumnDef::new(RunArtifacts::Name).string().not_null())
                .col(ColumnDef::new(RunArtifacts::Size).big_integer().not_null())
                .col(ColumnDef::new(RunArtifacts::Content).blob().not_null())
                .col(ts(RunArtifacts::CreatedAt).not_null())
                .primary_key(
                    Index::create()
                        .col(RunArtifacts::RunId)
                        .col(RunArtifacts::Name),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Schedules::Table)
                .col(
                    ColumnDef::new(Schedules::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Schedules::PlaybookId).uuid().not_null())
                .col(ColumnDef::new(Schedules::Name).string().not_null())
                .col(ColumnDef::new(Schedules::Cron).string().null())
                .col(
                    ColumnDef::new(Schedules::IntervalSeconds)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(Schedules::Timezone).string().not_null())
                .col(ColumnDef::new(Schedules::Enabled).boolean().not_null())
                .col(ts(Schedules::EndsAt).null())
                .col(ColumnDef::new(Schedules::Overrides).json().not_null())
                .col(ColumnDef::new(Schedules::Overlap).string_len(16).not_null())
                .col(ColumnDef::new(Schedules::Missed).string_len(16).not_null())
                .col(ts(Schedules::NextFireAt).null())
                .col(ts(Schedules::LastFiredAt).null())
                .col(ColumnDef::new(Schedules::LastRunId).uuid().null())
                .col(ColumnDef::new(Schedules::CreatedBy).uuid().null())
                .col(ts(Schedules::CreatedAt).not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Schedules::Table, Schedules::PlaybookId)
                        .to(Playbooks::Table, Playbooks::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // SQLite alters one column per statement.
        for col in [
            ColumnDef::new(Runs::PlaybookId).uuid().null().to_owned(),
            ColumnDef::new(Runs::PlaybookVersion)
                .integer()
                .null()
                .to_owned(),
            ColumnDef::new(Runs::ExitCode).integer().null().to_owned(),
        ] {
            m.alter_table(Table::alter().table(Runs::Table).add_column(col).to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(RunHosts::Table)
                .add_column(ColumnDef::new(RunHosts::Stats).json().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_runs_playbook")
                .table(Runs::Table)
                .col(Runs::PlaybookId)
                .col(Runs::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Schedules::Table.into_iden(),
            RunArtifacts::Table.into_iden(),
            RunEvents::Table.into_iden(),
            Jobs::Table.into_iden(),
            PlaybookVersions::Table.into_iden(),
            Playbooks::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
