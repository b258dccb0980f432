//! Users, sessions, API tokens, the audit log and settings.
//! Self-contained: it names its own columns and never imports the entities,
//! so later entity changes cannot rewrite history.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    Email,
    Role,
    PasswordHash,
    Disabled,
    MustChangePassword,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    RefreshHash,
    PreviousRefreshHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    RevokedAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorType,
    ActorId,
    ActorName,
    Action,
    TargetType,
    TargetId,
    TargetName,
    Outcome,
    Ip,
    UserAgent,
    RequestId,
    Diff,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Id,
    SessionIdleTimeoutMinutes,
    SessionAbsoluteLifetimeHours,
    AuditRetentionDays,
    UpdatedAt,
    Version,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().to_owned()
}

fn text_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                .col(text(Users::Username).unique_key().to_owned())
                .col(text(Users::DisplayName))
                .col(text_null(Users::Email))
                .col(text(Users::Role))
                .col(text(Users::PasswordHash))
                .col(
                    ColumnDef::new(Users::Disabled)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Users::MustChangePassword)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ts_null(Users::LastLoginAt))
                .col(ts(Users::CreatedAt))
                .col(ts(Users::UpdatedAt))
                .col(
                    ColumnDef::new(Users::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(ColumnDef::new(Sessions::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Sessions::UserId).uuid().not_null())
                .col(text(Sessions::RefreshHash).unique_key().to_owned())
                .col(text_null(Sessions::PreviousRefreshHash))
                .col(ts(Sessions::CreatedAt))
                .col(ts(Sessions::LastSeenAt))
                .col(ts(Sessions::ExpiresAt))
                .col(ts_null(Sessions::RevokedAt))
                .col(text_null(Sessions::Ip))
                .col(text_null(Sessions::UserAgent))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_sessions_user")
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_previous_refresh")
                .table(Sessions::Table)
                .col(Sessions::PreviousRefreshHash)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(
                    ColumnDef::new(ApiTokens::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(ApiTokens::UserId).uuid().not_null())
                .col(text(ApiTokens::Name))
                .col(text(ApiTokens::TokenHash).unique_key().to_owned())
                .col(text(ApiTokens::Prefix))
                .col(ts(ApiTokens::CreatedAt))
                .col(ts_null(ApiTokens::ExpiresAt))
                .col(ts_null(ApiTokens::LastUsedAt))
                .col(ts_null(ApiTokens::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_api_tokens_user")
                        .from(ApiTokens::Table, ApiTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_api_tokens_user")
                .table(ApiTokens::Table)
                .col(ApiTokens::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(
                    ColumnDef::new(AuditEvents::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ts(AuditEvents::OccurredAt))
                .col(text(AuditEvents::ActorType))
                .col(text_null(AuditEvents::ActorId))
                .col(text_null(AuditEvents::ActorName))
                .col(text(AuditEvents::Action))
                .col(text_null(AuditEvents::TargetType))
                .col(text_null(AuditEvents::TargetId))
                .col(text_null(AuditEvents::TargetName))
                .col(text(AuditEvents::Outcome))
                .col(text_null(AuditEvents::Ip))
                .col(text_null(AuditEvents::UserAgent))
                .col(text_null(AuditEvents::RequestId))
                .col(ColumnDef::new(AuditEvents::Diff).json().null())
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_audit_occurred", AuditEvents::OccurredAt),
            ("ix_audit_action", AuditEvents::Action),
            ("ix_audit_actor", AuditEvents::ActorId),
            ("ix_audit_target", AuditEvents::TargetId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(AuditEvents::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(
                    ColumnDef::new(Settings::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Settings::SessionIdleTimeoutMinutes)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Settings::SessionAbsoluteLifetimeHours)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Settings::AuditRetentionDays)
                        .integer()
                        .not_null(),
                )
                .col(ts(Settings::UpdatedAt))
                .col(
                    ColumnDef::new(Settings::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Settings::Table.into_iden(),
            AuditEvents::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
