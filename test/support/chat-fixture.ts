/**
 * A local stack (for the chat post claims) and the Slack/Teams stand-in for one test file, with
 * the check every chat test makes after each test: the stand-in refused no payload.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DynamoChatPosts } from '../../src/aws/dynamo-chat.js';
import { startFakeChat, type FakeChat } from './fake-chat.js';
import { withLocalStack, type StackFixture } from './stack-fixture.js';

export interface StackAndChat {
  readonly fixture: StackFixture;
  readonly chat: FakeChat;
  /** The post claims and threads on the stack's table. */
  posts(): DynamoChatPosts;
}

export function useStackAndChat(): StackAndChat {
  let fixture: StackFixture | undefined;
  let chat: FakeChat | undefined;
  beforeAll(async () => {
    fixture = await withLocalStack();
    chat = await startFakeChat();
  });
  afterAll(async () => {
    await chat?.close();
    await fixture?.cleanup();
  });
  afterEach(() => expect(chat!.rejected).toEqual([]));
  return {
    get fixture() {
      return fixture!;
    },
    get chat() {
      return chat!;
    },
    posts: () => new DynamoChatPosts(fixture!.clients.doc, fixture!.config.aws.tableName),
  };
}
