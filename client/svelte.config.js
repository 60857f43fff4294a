// Svelte reads TypeScript in components natively; this file is for svelte-check and editors.
export default {};
