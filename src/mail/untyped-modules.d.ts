// libmime ships no types; parse.ts describes the few functions it uses (interface Libmime).
declare module 'libmime';
