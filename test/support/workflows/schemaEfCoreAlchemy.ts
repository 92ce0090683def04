// EF Core migrations (our own content, eShop's shapes: `schema:` between `name:` and `table:`,
// renames, a dropped table, a Down() that undoes Up()) and a SQLAlchemy 2.0 declarative module
// (Mapped without a value, relationship(), a mixin, a declared_attr __tablename__, Core Table()).

export const EF_CORE_FILES: Record<string, string> = {
  'Shop.Api/Shop.Api.csproj':
    '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup><PackageReference Include="Microsoft.EntityFrameworkCore" Version="9.0.0" /></ItemGroup></Project>\n',
  'Shop.Api/Migrations/20250101000000_Initial.cs': `using Microsoft.EntityFrameworkCore.Migrations;

namespace Shop.Api.Migrations
{
    public partial class Initial : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(name: "sales");

            migrationBuilder.CreateTable(
                name: "customers",
                schema: "sales",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Tier = table.Column<string>(type: "text", nullable: true, defaultValueSql: "'{}'")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditTrail",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    Note = table.Column<string>(nullable: true)
                });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "customers", schema: "sales");
            migrationBuilder.DropTable(name: "AuditTrail");
        }
    }
}
`,
  'Shop.Api/Migrations/20250201000000_Renames.cs': `using Microsoft.EntityFrameworkCore.Migrations;

namespace Shop.Api.Migrations
{
    public partial class Renames : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Email",
                schema: "sales",
                table: "customers",
                type: "text",
                nullable: true);

            migrationBuilder.RenameColumn(
                name: "FullName",
                schema: "sales",
                table: "customers",
                newName: "DisplayName");

            migrationBuilder.DropColumn(
                name: "Tier",
                schema: "sales",
                table: "customers");

            migrationBuilder.Sql("""
                UPDATE sales.customers SET "Email" = '' WHERE "Email" IS NULL; -- ) } not code
                """);

            migrationBuilder.RenameTable(
                name: "customers",
                schema: "sales",
                newName: "clients",
                newSchema: "sales");

            migrationBuilder.DropTable(
                name: "AuditTrail");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameTable(name: "clients", schema: "sales", newName: "customers", newSchema: "sales");
            migrationBuilder.AddColumn<string>(name: "Tier", schema: "sales", table: "customers", nullable: true);
            migrationBuilder.RenameColumn(name: "DisplayName", schema: "sales", table: "customers", newName: "FullName");
            migrationBuilder.DropColumn(name: "Email", schema: "sales", table: "customers");
        }
    }
}
`,
  'Shop.Api/Migrations/ShopContextModelSnapshot.cs': `namespace Shop.Api.Migrations
{
    partial class ShopContextModelSnapshot : ModelSnapshot
    {
        protected override void BuildModel(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity("Shop.Api.Client", b => { b.Property<int>("Id"); b.ToTable("clients", "sales"); });
        }
    }
}
`,
};

export const ALCHEMY_MODELS = `from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, declared_attr, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=datetime.utcnow)


class AutoName:
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower()

    id: Mapped[int] = mapped_column(primary_key=True)


note_tags = Table(
    "note_tags",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id"), primary_key=True),
)


class Note(TimestampMixin, Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str]
    title: Mapped[str] = mapped_column("heading", String(80))
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id"))
    owner: Mapped["Owner"] = relationship(back_populates="notes")
    tags: Mapped[list["Tag"]] = relationship(secondary=note_tags)
    heading_upper = column_property(title + "!")


class Owner(AutoName, Base):
    name: Mapped[str] = mapped_column(String(50))
    notes: Mapped[list[Note]] = relationship(back_populates="owner")


class Tag(AutoName, Base):
    label = Column(String(30))


class Archived(Base):
    __abstract__ = True
    archived: Mapped[bool]
`;

/** Flask-SQLAlchemy (`db.Model`, names in snake_case) with single-table inheritance. */
export const FLASK_MODELS = `from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class OrderLine(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    sku = db.Column(db.String(20), nullable=False)
    kind = db.Column(db.String(10))
    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "line"}


class GiftLine(OrderLine):
    __mapper_args__ = {"polymorphic_identity": "gift"}
    message = db.Column(db.Text)


class Employee(db.Model):
    __tablename__ = "staff"
    id = db.Column(db.Integer, primary_key=True)


class Manager(Employee):
    reports = db.Column(db.Integer)


tags = db.Table("line_tags", db.Column("line_id", db.ForeignKey("order_line.id")), db.Column("tag", db.String(20)))
`;
