// Kiro and Spec Kit folders as docs/import.md describes them ("Other spec formats users bring"),
// written for the shop example's layers (database db/**, backend server/**, frontend web/**).
// Our own text, one folder per shape `specs` must list: requirements-first, bug spec,
// design-first, no tasks.md yet (a steps.md kept instead), a Spec Kit feature with and without
// tasks.md, folders inside sub-projects, a folder whose files cannot be read, and a hostile title.

export const CART = '.kiro/specs/cart';
export const BUGFIX = '.kiro/specs/zero-total-bug';
export const DESIGN_FIRST = '.kiro/specs/csv-export';
export const NO_TASKS = '.kiro/specs/wishlist';
export const ORDERS = 'specs/002-order-history';
export const COUPONS = 'specs/003-coupons';
export const NESTED_KIRO = 'app/.kiro/specs/login';
export const NESTED_SPEC_KIT = 'platform/billing/specs/002-invoice-export';
export const BROKEN = '.kiro/specs/broken';
export const HOSTILE = '.kiro/specs/hostile';
/** A title with a clear-screen sequence and a window-title change (OSC … BEL) in it. */
export const HOSTILE_TITLE = 'Cart \u001b[2J\u001b]0;pwned\u0007 export';

/** A requirements-first Kiro folder: generic H1 (the title comes from design.md), a group with sub-tasks, one ticked. */
export function kiroCart(root = CART): Record<string, string> {
  return {
    [`${root}/requirements.md`]: `# Requirements Document

## Introduction

Shoppers keep products in a cart until they check out.

## Requirements

### Requirement 1: Add to cart

**User Story:** As a shopper, I want to add a product to my cart, so that I can buy it later.

#### Acceptance Criteria

1. WHEN a shopper adds a product THEN the cart SHALL hold it with quantity 1
2. WHEN the product is already in the cart THEN the cart SHALL raise its quantity

### Requirement 2: Cart screen

**User Story:** As a shopper, I want to see my cart.

#### Acceptance Criteria

1. THE cart screen SHALL list each product with its price and quantity
`,
    [`${root}/design.md`]: `# Design: Shopping cart\n\n## Overview\n\nA carts table and a screen.\n`,
    [`${root}/tasks.md`]: `# Implementation Plan

- [ ] 1. Build the data layer
  - [x] 1.1 Create the migration \`db/migrations/004_create_cart.sql\`
    - _Requirements: 1.1_
  - [ ] 1.2 Module \`server/entities/cart.js\` adding and counting items
    - _Requirements: 1.1, 1.2_
- [ ] 2. Cart screen in web/src/cart.js
  - _Requirements: 2.1_
`,
  };
}

/** A Kiro bug spec: bugfix.md in place of requirements.md, numbered statements. */
export function kiroBugfix(root = BUGFIX): Record<string, string> {
  return {
    [`${root}/bugfix.md`]: `# Bugfix Requirements Document

## Introduction

An empty cart shows a total of NaN.

## Bug Analysis

### Current Behavior (Defect)

1.1 WHEN the cart is empty THEN the total reads NaN

### Expected Behavior (Correct)

2.1 WHEN the cart is empty THEN the system SHALL show a total of 0.00
`,
    [`${root}/design.md`]: `# Design\n\nSum with an initial value of 0.\n`,
    [`${root}/tasks.md`]: `- [ ] 1. Fix the total in \`server/entities/cart.js\`\n  - _Requirements: 2.1_\n`,
  };
}

/** A design-first Kiro folder: design.md and tasks.md, tasks citing ids design.md defines. */
export function kiroDesignFirst(root = DESIGN_FIRST): Record<string, string> {
  return {
    [`${root}/design.md`]: `# Design: CSV export of orders\n\n## Components\n\nAn endpoint streaming orders as CSV.\n`,
    [`${root}/tasks.md`]: `- [ ] 1. Endpoint \`server/routes/export.js\`\n  - _Requirements: 1.1_\n- [ ] 2. Export button in \`web/src/orders.js\`\n  - _Requirements: 1.2_\n`,
  };
}

/** A Kiro folder before its task list: requirements and design, and the user's own steps.md. */
export function kiroNoTasks(root = NO_TASKS): Record<string, string> {
  return {
    [`${root}/requirements.md`]: `# Requirements Document: Wishlist\n\n### Requirement 1: Save for later\n\n#### Acceptance Criteria\n\n1. WHEN a shopper saves a product THE wishlist SHALL keep it\n`,
    [`${root}/design.md`]: `# Design\n\nA wishlists table.\n`,
    [`${root}/steps.md`]: `1. Table\n2. Screen\n`,
  };
}

/** A Spec Kit feature: a story with scenarios, FR ids, tasks citing [US1], one done. */
export function specKitOrders(root = ORDERS): Record<string, string> {
  return {
    [`${root}/spec.md`]: `# Feature Specification: Order history

## User Scenarios & Testing *(mandatory)*

### User Story 1 - See past orders (Priority: P1)

A shopper sees the orders they placed.

**Acceptance Scenarios**:

1. **Given** a shopper with two orders, **When** they open the history, **Then** both orders are listed newest first

## Requirements *(mandatory)*

- **FR-001**: System MUST list a shopper's orders newest first
`,
    [`${root}/plan.md`]: `# Implementation Plan: Order history\n\nA route and a screen.\n`,
    [`${root}/tasks.md`]: `# Tasks: Order history

## Phase 1: User Story 1

- [x] T001 [US1] Route in server/routes/orders.js
- [ ] T002 [P] [US1] Screen in web/src/orders.js
`,
  };
}

/** A Spec Kit feature before /speckit.tasks: spec.md and plan.md. */
export function specKitNoTasks(root = COUPONS): Record<string, string> {
  return {
    [`${root}/spec.md`]: `# Feature Specification: Coupons\n\n- **FR-001**: System MUST take one coupon per order\n`,
    [`${root}/plan.md`]: `# Implementation Plan: Coupons\n`,
  };
}

/** Folders in sub-projects. */
export function nestedFolders(): Record<string, string> {
  return {
    [`${NESTED_KIRO}/requirements.md`]: `# Login\n\n### Requirement 1\n\n1. THE app SHALL sign a user in\n`,
    [`${NESTED_KIRO}/tasks.md`]: `- [ ] 1. Sign-in form in app/src/login.js\n`,
    [`${NESTED_SPEC_KIT}/spec.md`]: `# Feature Specification: Invoice export\n\n- **FR-001**: System MUST export invoices\n`,
    [`${NESTED_SPEC_KIT}/tasks.md`]: `### T2-001: Add the serialiser in platform/billing/src/invoice.js\n`,
  };
}

/** A folder with a hostile title (terminal escape sequences), otherwise ready. */
export function hostileTitle(root = HOSTILE): Record<string, string> {
  return {
    [`${root}/requirements.md`]: `# ${HOSTILE_TITLE}\n\n### Requirement 1\n\n1. THE system SHALL export the cart\n`,
    [`${root}/tasks.md`]: `- [ ] 1. Export in server/routes/cart.js\n  - _Requirements: 1.1_\n`,
  };
}

/** Not spec folders: notes beside Spec Kit's features, and a dependency's own Kiro folder. */
export function notSpecFolders(): Record<string, string> {
  return {
    'specs/notes/README.md': '# Notes\n',
    'node_modules/some-lib/.kiro/specs/internal/requirements.md': '# Internal\n',
  };
}
