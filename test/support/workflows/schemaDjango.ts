// A Django project with two apps (our own content): `catalog` (models.py, migrations) and
// `people` (a models/ package holding an abstract base that catalog's models inherit), with a
// ManyToManyField (to another model, to "self", and one with through=), fields imported bare,
// Meta.db_table, a proxy model, a concrete parent (multi-table inheritance), and migrations that
// add, remove, rename and delete.

export const DJANGO_FILES: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
  'people/__init__.py': '',
  'people/models/__init__.py': 'from .base import Stamped\nfrom .person import Person\n',
  'people/models/base.py': `from django.db import models


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
`,
  'people/models/person.py': `from django.db import models
from django.db.models import CharField, ManyToManyField

from .base import Stamped


class Person(Stamped):
    handle = CharField(max_length=40, unique=True)
    friends = ManyToManyField("self")
    favourites = models.ManyToManyField("catalog.Title", related_name="fans")

    def __str__(self):
        return self.handle


class PersonProxy(Person):
    class Meta:
        proxy = True
`,
  'catalog/__init__.py': '',
  'catalog/models.py': `from django.db import models
from django.db.models import CASCADE, ForeignKey

from people.models import Person, Stamped


class Title(Stamped):
    name = models.CharField(max_length=200)
    writer = ForeignKey(Person, on_delete=CASCADE, related_name="titles")
    isbn = models.CharField(max_length=13, db_column="isbn13")
    objects = models.Manager()

    class Meta:
        db_table = "catalog_titles"
        ordering = ["name"]


class Shelf(models.Model):
    code = models.SlugField(primary_key=True)
    titles = models.ManyToManyField(Title, through="Placement")


class Placement(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)
    title = models.ForeignKey(Title, on_delete=models.CASCADE)


class Ebook(Title):
    file_url = models.URLField()
`,
  'catalog/migrations/__init__.py': '',
  'catalog/migrations/0001_initial.py': `from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Title",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("modified", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=200)),
                ("author_name", models.CharField(max_length=80)),
                ("legacy_code", models.IntegerField(null=True)),
                ("isbn", models.CharField(db_column="isbn13", max_length=13)),
            ],
            options={"db_table": "catalog_titles", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="Draft",
            fields=[("id", models.AutoField(primary_key=True)), ("body", models.TextField())],
        ),
    ]
`,
  'catalog/migrations/0002_changes.py': `from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RemoveField(model_name="title", name="author_name"),
        migrations.RenameField(model_name="title", old_name="legacy_code", new_name="shelf_mark"),
        migrations.AddField(
            model_name="title",
            name="writer",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="titles", to="people.person"),
        ),
        migrations.DeleteModel(name="Draft"),
        migrations.RenameModel(old_name="Title", new_name="Work"),
        migrations.RenameModel(old_name="Work", new_name="Title"),
    ]
`,
};

export const DJANGO_DICTIONARY = `# Data dictionary

### catalog_titles
- id
- created
- modified
- name
- shelf_mark
- writer_id
- isbn13

### Shelf
- code

### catalog_placement
- id
- shelf_id
- title_id

### catalog_ebook
- title_ptr_id
- file_url

### Person
- id
- created
- modified
- handle

### people_person_friends
- id
- from_person_id
- to_person_id

### people_person_favourites
- id
- person_id
- title_id
`;
