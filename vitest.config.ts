import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests spawn real interpreters and walk real trees: give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
