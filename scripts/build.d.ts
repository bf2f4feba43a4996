// Types of scripts/build.js, plain JavaScript so that the bin can run it without tsx.
import type { Plugin } from "esbuild";

export const ROOT: string;
export function libIsStale(root?: string): boolean;
export function buildLib(root?: string): Promise<string[]>;
export const zodEnglishOnly: Plugin;
