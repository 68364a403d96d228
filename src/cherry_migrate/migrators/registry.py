"""Every migrator that runs, in upstream's registry order; the engine sorts them by ``order``.

Not yet here (see the project's notes): boot config, agents, knowledge vectors and usage records,
whose targets are outside the schema this tool writes.
"""

from __future__ import annotations

from cherry_migrate.migrators.assistant import AssistantMigrator
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.chat import ChatMigrator
from cherry_migrate.migrators.file import FileMigrator
from cherry_migrate.migrators.knowledge import KnowledgeMigrator
from cherry_migrate.migrators.mcp_server import McpServerMigrator
from cherry_migrate.migrators.mini_app import MiniAppMigrator
from cherry_migrate.migrators.note import NoteMigrator
from cherry_migrate.migrators.painting import PaintingMigrator
from cherry_migrate.migrators.preferences import PreferencesMigrator
from cherry_migrate.migrators.prompt import PromptMigrator
from cherry_migrate.migrators.provider_model import ProviderModelMigrator
from cherry_migrate.migrators.translate import TranslateMigrator


def all_migrators() -> list[BaseMigrator]:
    return [
        PreferencesMigrator(),
        NoteMigrator(),
        MiniAppMigrator(),
        McpServerMigrator(),
        ProviderModelMigrator(),
        AssistantMigrator(),
        FileMigrator(),
        KnowledgeMigrator(),
        ChatMigrator(),
        PaintingMigrator(),
        TranslateMigrator(),
        PromptMigrator(),
    ]
