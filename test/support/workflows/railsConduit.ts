/**
 * A RealWorld (Conduit) Rails app's schema, written for these tests: a db/schema.rb as
 * `db:schema:dump` writes it, and migrations that reach it step by step (used when schema.rb is absent).
 */
export const RAILS_SCHEMA = `# This file is auto-generated from the current state of the database.
ActiveRecord::Schema[7.1].define(version: 2024_03_02_101500) do
  enable_extension "plpgsql"

  create_table "users", force: :cascade do |t|
    t.string "email", default: "", null: false
    t.string "username", null: false
    t.text "bio"
    t.string "image"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["email"], name: "index_users_on_email", unique: true
  end

  create_table "articles", id: :uuid, default: -> { "gen_random_uuid()" }, force: :cascade do |t|
    t.string "slug", null: false
    t.string "title"
    t.text "body"
    t.bigint "author_id", null: false
    t.virtual "title_search", type: :tsvector, as: "to_tsvector('english', (title)::text)", stored: true
    t.timestamps
    t.index ["slug"], name: "index_articles_on_slug", unique: true
  end

  create_table "articles_tags", id: false, force: :cascade do |t|
    t.uuid "article_id", null: false
    t.bigint "tag_id", null: false
  end

  create_table "tags", primary_key: "name", id: :string, force: :cascade do |t|
  end

  add_foreign_key "articles", "users", column: "author_id"
end
`;

export const RAILS_MIGRATIONS: Record<string, string> = {
  'db/migrate/20240101090000_create_users.rb': `class CreateUsers < ActiveRecord::Migration[7.1]
  def change
    create_table :users do |t|
      t.string :email, :username, null: false
      t.string :image_url
      t.timestamps
    end
  end
end
`,
  'db/migrate/20240102090000_create_articles.rb': `class CreateArticles < ActiveRecord::Migration[7.1]
  def change
    create_table(:articles, id: :uuid) do |t|
      t.string :slug, :title
      t.text :body
      t.references :author, null: false, foreign_key: { to_table: :users }
      t.belongs_to :attachable, polymorphic: true
      t.timestamps null: false
    end
    create_join_table :articles, :tags
  end
end
`,
  'db/migrate/20240103090000_profile_changes.rb': `class ProfileChanges < ActiveRecord::Migration[7.1]
  def up
    add_column :users, :bio, :text
    rename_column :users, :image_url, :image
    change_table :articles do |t|
      t.remove :attachable_type, :attachable_id
      t.rename :body, :content
      t.integer :favorites_count, default: 0
    end
    create_table :drafts do |t|
      t.string :title
    end
    rename_table :drafts, :article_drafts
    add_reference :article_drafts, :user, index: true
    drop_table :articles_tags
    reversible do |dir|
      dir.up do
        add_column :users, :locale, :string
      end
      dir.down do
        remove_column :users, :locale
        add_column :users, :never_up_either, :string
      end
    end
    change_table :users do |t|
      t.virtual(
        :search,
        type: :tsvector,
        as: "to_tsvector('simple', (username)::text)",
        stored: true
      )
    end
  end

  def down
    remove_column :users, :bio
    add_column :users, :never_up, :string
  end
end
`,
};
