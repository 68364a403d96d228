from cherry_migrate.cli import app

app()
