/** Frameworks recognised from a manifest's dependencies, and the role each suggests. */
import type { Role } from '../types';

/** Dependency name (exact, or a prefix ending in '/') → framework name. */
const BY_DEPENDENCY: Record<string, string> = {
  next: 'next',
  react: 'react',
  'react-dom': 'react',
  vue: 'vue',
  nuxt: 'nuxt',
  svelte: 'svelte',
  '@sveltejs/kit': 'sveltekit',
  '@angular/core': 'angular',
  vite: 'vite',
  astro: 'astro',
  '@remix-run/react': 'remix',
  'solid-js': 'solid',
  '@nestjs/core': 'nestjs',
  express: 'express',
  fastify: 'fastify',
  koa: 'koa',
  hono: 'hono',
  '@trpc/server': 'trpc',
  'react-native': 'react-native',
  expo: 'expo',
  electron: 'electron',
  '@tauri-apps/api': 'tauri',
  prisma: 'prisma',
  '@prisma/client': 'prisma',
  typeorm: 'typeorm',
  'drizzle-orm': 'drizzle',
  sequelize: 'sequelize',
  knex: 'knex',
  mongoose: 'mongoose',
  typescript: 'typescript',
  jest: 'jest',
  vitest: 'vitest',
  eslint: 'eslint',
  '@biomejs/biome': 'biome',
  playwright: 'playwright',
  '@playwright/test': 'playwright',
  // Python (normalised names from pyproject/requirements)
  django: 'django',
  fastapi: 'fastapi',
  flask: 'flask',
  sqlalchemy: 'sqlalchemy',
  alembic: 'alembic',
  pytest: 'pytest',
  ruff: 'ruff',
  mypy: 'mypy',
  pydantic: 'pydantic',
  // Rust crates
  axum: 'axum',
  'actix-web': 'actix-web',
  rocket: 'rocket',
  tauri: 'tauri',
  leptos: 'leptos',
  yew: 'yew',
  sqlx: 'sqlx',
  diesel: 'diesel',
  tokio: 'tokio',
  // Go modules
  'github.com/gin-gonic/gin': 'gin',
  'github.com/labstack/echo/v4': 'echo',
  'github.com/gofiber/fiber/v2': 'fiber',
  'github.com/go-chi/chi/v5': 'chi',
  'gorm.io/gorm': 'gorm',
  // PHP / Ruby / Dart / JVM / .NET
  'laravel/framework': 'laravel',
  'symfony/framework-bundle': 'symfony',
  'phpunit/phpunit': 'phpunit',
  rails: 'rails',
  rspec: 'rspec',
  'rspec-rails': 'rspec',
  rubocop: 'rubocop',
  flutter: 'flutter',
  ios: 'ios',
  swiftpm: 'swiftpm',
  phoenix: 'phoenix',
  ecto_sql: 'ecto',
  ecto: 'ecto',
  'spring-boot': 'spring-boot',
  'org.springframework.boot': 'spring-boot',
  'com.android.application': 'android',
  'Microsoft.NET.Sdk.Web': 'aspnetcore',
  'Microsoft.EntityFrameworkCore': 'efcore',
  'Microsoft.NET.Sdk.BlazorWebAssembly': 'blazor',
  'Microsoft.NET.Test.Sdk': 'dotnet-test',
  xunit: 'xunit',
  NUnit: 'nunit',
  MSTest: 'mstest',
  'Microsoft.Maui': 'maui',
};

export function frameworksOf(dependencies: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const dependency of dependencies) {
    const exact = BY_DEPENDENCY[dependency];
    if (exact) found.add(exact);
    else if (dependency.startsWith('Microsoft.EntityFrameworkCore')) found.add('efcore');
    else if (dependency.startsWith('spring-boot-starter') || dependency.startsWith('org.springframework.boot'))
      found.add('spring-boot');
    else if (dependency.startsWith('Microsoft.Maui')) found.add('maui');
  }
  return [...found].sort();
}

const FRONTEND = [
  'next',
  'nuxt',
  'react',
  'vue',
  'svelte',
  'sveltekit',
  'angular',
  'astro',
  'remix',
  'solid',
  'blazor',
  'leptos',
  'yew',
];
const BACKEND = [
  'nestjs',
  'express',
  'fastify',
  'koa',
  'hono',
  'trpc',
  'django',
  'fastapi',
  'flask',
  'aspnetcore',
  'spring-boot',
  'laravel',
  'symfony',
  'rails',
  'axum',
  'actix-web',
  'rocket',
  'gin',
  'echo',
  'fiber',
  'chi',
  'phoenix',
];
const MOBILE = ['react-native', 'expo', 'flutter', 'android', 'maui', 'ios'];

/** Folder names that say a role (`apps/api`, `backend/`, `src/ui`): read only where a folder names an app, not a module. */
export const ROLE_FOLDERS: Record<string, Role> = {
  backend: 'backend',
  server: 'backend',
  api: 'backend',
  frontend: 'frontend',
  client: 'frontend',
  web: 'frontend',
  ui: 'frontend',
  webapp: 'frontend',
  mobile: 'mobile',
  database: 'database',
  db: 'database',
  prisma: 'database',
  migrations: 'database',
  alembic: 'database',
  infra: 'infra',
  infrastructure: 'infra',
  terraform: 'infra',
  deploy: 'infra',
  k8s: 'infra',
  helm: 'infra',
};

/** Dependencies that make a JavaScript package an app rather than a library of components. */
export const APP_DEPENDENCIES = new Set([
  'next',
  'nuxt',
  'vite',
  'astro',
  '@angular/cli',
  '@angular-devkit/build-angular',
  'react-scripts',
  '@remix-run/dev',
  '@sveltejs/kit',
  'expo',
  'react-native',
  'electron',
  '@tauri-apps/api',
  '@tauri-apps/cli',
  'webpack-dev-server',
  'parcel',
  '@nestjs/core',
  'express',
  'fastify',
  'koa',
  'hono',
]);

/**
 * The role frameworks suggest; mobile and backend frameworks outweigh frontend ones (Next.js is
 * both). A library (a UI kit with React as a peer) has no role: it is not a frontend for using React.
 */
export function roleOfFrameworks(frameworks: readonly string[], library = false): Role | undefined {
  if (library) return undefined;
  if (frameworks.some((f) => MOBILE.includes(f))) return 'mobile';
  if (frameworks.some((f) => BACKEND.includes(f)) && !frameworks.includes('next') && !frameworks.includes('nuxt'))
    return 'backend';
  if (frameworks.some((f) => FRONTEND.includes(f))) return 'frontend';
  return undefined;
}
