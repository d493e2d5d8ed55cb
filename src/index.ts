/**
 * opmon's public API: the DSL that monitoring projects and platform definitions are written in.
 * @example import { defineProject, defineProbe, definePlatform } from "opmon";
 */
export * from "./dsl/index.js";
