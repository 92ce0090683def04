// A small SQLModel service with Alembic revisions (the FastAPI template's shapes, our own content):
// a table model whose columns come partly from a non-table base, Relationship() and ClassVar that
// are not columns, and revisions whose file names do not sort in their chain's order.

export const SQLMODEL_FILES: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "shelf"\ndependencies = ["fastapi", "sqlmodel", "alembic"]\n',
  'alembic.ini': '[alembic]\nscript_location = app/alembic\n',
  'app/alembic/env.py':
    'from alembic import context\nfrom app.models import SQLModel\ntarget_metadata = SQLModel.metadata\n',
  'app/models.py': `import uuid
from typing import ClassVar

from sqlmodel import Field, Relationship, SQLModel


class AuthorBase(SQLModel):
    pen_name: str = Field(max_length=120)
    is_active: bool = True


class AuthorCreate(AuthorBase):
    password: str = Field(min_length=8)


class Author(AuthorBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    hashed_secret: str
    books: list["Book"] = Relationship(back_populates="author", cascade_delete=True)


class Book(SQLModel, table=True):
    __tablename__ = "books"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    subtitle: str | None = None
    author_id: uuid.UUID = Field(foreign_key="author.id", ondelete="CASCADE")
    author: Author | None = Relationship(back_populates="books")
    shelf_labels: ClassVar[list[str]] = []
    _cache: dict = {}


class BookPublic(SQLModel):
    id: int
    title: str
`,
  // The first revision (its file name sorts last).
  'app/alembic/versions/f3c1a9_initial.py': `"""initial

Revision ID: f3c1a9
Revises:
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "f3c1a9"
down_revision = None


def upgrade():
    op.create_table(
        "author",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pen_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("hashed_password", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "books",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("isbn", sa.String(length=13), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["author.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table("scratch", sa.Column("note", sa.Text()))


def downgrade():
    op.drop_table("books")
    op.drop_table("author")
`,
  // The second revision (its file name sorts first): renames, drops, a batch and a table renamed.
  'app/alembic/versions/0b7e22_rename_secret.py': `"""rename the secret, drop isbn

Revision ID: 0b7e22
Revises: f3c1a9
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0b7e22"
down_revision: Union[str, None] = "f3c1a9"
branch_labels: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.alter_column("author", "hashed_password", new_column_name="hashed_secret")
    op.drop_column("books", "isbn")
    with op.batch_alter_table("books", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subtitle", sa.String(), nullable=True))
    op.create_table("obsolete", sa.Column("id", sa.Integer()))
    op.drop_table("obsolete")
    op.rename_table("scratch", "notes")
    op.add_column("notes", sa.Column("written_at", sa.DateTime()))
    op.execute("UPDATE books SET subtitle = ''")


def downgrade() -> None:
    op.add_column("books", sa.Column("isbn", sa.String(length=13)))
    op.alter_column("author", "hashed_secret", new_column_name="hashed_password")
    op.drop_column("books", "subtitle")
`,
};

export const SQLMODEL_DICTIONARY = `# Data dictionary

## author
| Column | Meaning |
|---|---|
| id | key |
| pen_name | shown on covers |
| is_active | can sign in |
| hashed_secret | never shown |

## books
- id
- title
- subtitle
- author_id

## notes
- note
- written_at
`;
